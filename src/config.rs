//! The configuration file: limits an organisation sets for its grants.
//!
//! ```yaml
//! max_ttl: 8h          # longest --ttl accepted
//! max_lifetime: 24h    # longest a grant may live, extensions included
//! default_ttl: 30m     # used when --ttl is not given (default: --ttl is required)
//! opportunistic_reap: true  # grant and list also remove expired grants they see
//! reason:
//!   required: true     # --reason must be given
//!   pattern: '^[A-Z]+-[0-9]+'   # and match this (e.g. a ticket id)
//! audit:
//!   dir: /var/lib/jit/audit     # the audit log (default: $XDG_STATE_HOME/jit)
//!   key_store: keyutils         # where `jit log init` keeps a new key (default: keyring)
//! ```
//!
//! `JIT_AUDIT_DIR` in the environment overrides `audit.dir`.
//!
//! Reading takes two steps so that every error can say where it is, as `FILE:LINE: key:
//! problem`: `read` walks the YAML mappings along `FIELDS`, checking YAML types only and
//! keeping each value with the line of its key; `Config::parse` then gives the values their
//! meaning (a duration, a pattern, a path) and reports a bad one at that line. The lines stay
//! in [`Config::lines`], for `jit config show`.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use regex::Regex;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_saphyr::{Localizer, Location, MessageFormatter, SnippetMode, Spanned};

use crate::audit::keys::KeyStore;
use crate::exit::JitError;
use crate::output;

/// The settings in force, with defaults filled in.
#[derive(Debug, Clone)]
pub struct Config {
    pub max_ttl: Duration,
    /// The longest a grant may live, extensions included, from its creation.
    pub max_lifetime: Duration,
    pub default_ttl: Option<Duration>,
    pub reason_required: bool,
    pub reason_pattern: Option<Regex>,
    /// Whether grant and list also remove the expired grants they happen to see.
    pub opportunistic_reap: bool,
    /// `audit.dir`: where the audit log lives, if the file says.
    pub audit_dir: Option<PathBuf>,
    /// `audit.key_store`: where `jit log init` keeps a new person key when `--store` is not
    /// given (`None`: the OS keyring).
    pub key_store: Option<KeyStore>,
    /// The file the settings came from, if any.
    pub file: Option<PathBuf>,
    /// The line of `file` each setting was read from, by its dotted key (`reason.pattern`);
    /// a setting not listed has its default.
    pub lines: BTreeMap<&'static str, u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_ttl: Duration::from_secs(8 * 3600),
            max_lifetime: crate::expiry::DEFAULT_MAX_LIFETIME,
            default_ttl: None,
            reason_required: true,
            reason_pattern: None,
            opportunistic_reap: true,
            audit_dir: None,
            key_store: None,
            file: None,
            lines: BTreeMap::new(),
        }
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// This line of the configuration file.
    File { path: PathBuf, line: u64 },
    /// This environment variable.
    Env(&'static str),
    /// jit's built-in default.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path, line } => write!(f, "file {}:{line}", path.display()),
            Origin::Env(var) => write!(f, "env {var}"),
            Origin::Default => f.write_str("default"),
        }
    }
}

impl Config {
    /// Loads `explicit` (which must exist), else the default location if it exists, else
    /// the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None => match default_path() {
                Some(path) if path.exists() => path,
                _ => return Ok(Config::default()),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(JitError::usage(format!(
                    "configuration {}: no such file",
                    path.display()
                ))
                .with_hint(
                    "check --config and JIT_CONFIG; without them, jit reads \
                     $XDG_CONFIG_HOME/jit/config.yaml when it exists",
                )
                .into());
            }
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("reading configuration {}", path.display()));
            }
        };
        Config::parse(&text, &path)
    }

    fn parse(text: &str, path: &Path) -> Result<Config> {
        let invalid = |line: u64, message: String| {
            JitError::usage(format!(
                "configuration {}:{line}: {message}",
                path.display()
            ))
        };
        let values = read(text).map_err(|problem| {
            let at = match problem.line {
                Some(line) => format!("{}:{line}", path.display()),
                None => path.display().to_string(),
            };
            let err = JitError::usage(format!("configuration {at}: {}", problem.message));
            match problem.hint {
                Some(hint) => err.with_hint(hint),
                None => err,
            }
        })?;
        let mut config = Config {
            file: Some(path.to_path_buf()),
            lines: values
                .iter()
                .map(|(key, (_, line))| (*key, *line))
                .collect(),
            ..Config::default()
        };

        let duration = |key: &'static str| -> Result<Option<(Duration, u64)>, JitError> {
            let Some((text, line)) = values.text(key) else {
                return Ok(None);
            };
            positive_duration(text)
                .map(|d| Some((d, line)))
                .map_err(|e| invalid(line, format!("{key}: {e}")))
        };
        let max_ttl = duration("max_ttl")?;
        let max_lifetime = duration("max_lifetime")?;
        let default_ttl = duration("default_ttl")?;
        // Said with the line of the value that was set, or of the other one's default.
        let described = |d: Duration, set: Option<(Duration, u64)>| match set {
            Some((_, line)) => format!("{} (line {line})", output::duration(d)),
            None => format!("{} (the default)", output::duration(d)),
        };
        config.max_ttl = max_ttl.map_or(config.max_ttl, |(d, _)| d);
        config.max_lifetime = max_lifetime.map_or(config.max_lifetime, |(d, _)| d);
        if config.max_ttl > config.max_lifetime {
            // The defaults agree, so one of the two is in the file.
            let err = match (max_ttl, max_lifetime) {
                (Some((ttl, line)), _) => invalid(
                    line,
                    format!(
                        "max_ttl: {} is longer than max_lifetime {}",
                        output::duration(ttl),
                        described(config.max_lifetime, max_lifetime)
                    ),
                ),
                (None, Some((lifetime, line))) => invalid(
                    line,
                    format!(
                        "max_lifetime: {} is shorter than max_ttl {}",
                        output::duration(lifetime),
                        described(config.max_ttl, max_ttl)
                    ),
                ),
                (None, None) => unreachable!("the default max_ttl fits the default max_lifetime"),
            };
            return Err(err
                .with_hint(
                    "lower max_ttl, or raise max_lifetime (no grant outlives it, extensions \
                     included)",
                )
                .into());
        }
        if let Some((ttl, line)) = default_ttl {
            if ttl > config.max_ttl {
                return Err(invalid(
                    line,
                    format!(
                        "default_ttl: {} is longer than max_ttl {}",
                        output::duration(ttl),
                        described(config.max_ttl, max_ttl)
                    ),
                )
                .into());
            }
            config.default_ttl = Some(ttl);
        }
        if let Some((on, _)) = values.flag("opportunistic_reap") {
            config.opportunistic_reap = on;
        }
        if let Some((required, _)) = values.flag("reason.required") {
            config.reason_required = required;
        }
        if let Some((pattern, line)) = values.text("reason.pattern") {
            let regex = Regex::new(pattern).map_err(|err| {
                invalid(
                    line,
                    format!(
                        "reason.pattern: {pattern:?} is not a regular expression: {}",
                        regex_problem(&err)
                    ),
                )
            })?;
            config.reason_pattern = Some(regex);
        }
        if let Some((dir, line)) = values.text("audit.dir") {
            let dir = PathBuf::from(dir);
            if !dir.is_absolute() {
                return Err(invalid(
                    line,
                    format!(
                        "audit.dir: {:?} must be an absolute path (cron runs jit from another \
                         directory)",
                        dir.display()
                    ),
                )
                .into());
            }
            config.audit_dir = Some(dir);
        }
        if let Some((store, line)) = values.text("audit.key_store") {
            // The parser `jit log init --store` uses, so the two accept the same stores.
            let store = store
                .parse::<KeyStore>()
                .map_err(|err| invalid(line, format!("audit.key_store: {err:#}")))?;
            config.key_store = Some(store);
        }
        Ok(config)
    }

    /// Where the value of `key` (dotted, as in [`keys`]) came from: the file or the default.
    /// For `audit.dir`, which the environment can override, see [`Config::audit_dir_origin`].
    pub fn origin(&self, key: &str) -> Origin {
        match (&self.file, self.lines.get(key)) {
            (Some(path), Some(&line)) => Origin::File {
                path: path.clone(),
                line,
            },
            _ => Origin::Default,
        }
    }

    /// Where the audit log lives: `$JIT_AUDIT_DIR`, else `audit.dir`, else
    /// `$XDG_STATE_HOME/jit`, else `~/.local/state/jit`.
    pub fn audit_dir(&self) -> Result<PathBuf> {
        self.audit_dir_origin().map(|(dir, _)| dir)
    }

    /// [`Config::audit_dir`], and which of its sources said so.
    pub fn audit_dir_origin(&self) -> Result<(PathBuf, Origin)> {
        if let Some(dir) = std::env::var_os("JIT_AUDIT_DIR").filter(|v| !v.is_empty()) {
            return Ok((PathBuf::from(dir), Origin::Env("JIT_AUDIT_DIR")));
        }
        if let Some(dir) = &self.audit_dir {
            return Ok((dir.clone(), self.origin("audit.dir")));
        }
        xdg_dir("XDG_STATE_HOME", ".local/state")
            .map(|base| (base.join("jit"), Origin::Default))
            .ok_or_else(|| {
                JitError::usage("cannot tell where the audit log goes: HOME is not set")
                    .with_hint("set JIT_AUDIT_DIR, or audit.dir in the configuration")
                    .into()
            })
    }
}

fn positive_duration(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text) {
        Ok(d) if d >= Duration::from_secs(1) => Ok(d),
        Ok(_) => Err(format!("{text:?} is shorter than 1s")),
        Err(_) => Err(format!("{text:?} is not {DURATION}")),
    }
}

/// The regex crate's complaint without its multi-line picture of the pattern (the message
/// is one line here, after the file and line).
fn regex_problem(err: &regex::Error) -> String {
    match err {
        regex::Error::Syntax(text) => text
            .lines()
            .rev()
            .find_map(|line| line.strip_prefix("error: "))
            .unwrap_or(text)
            .to_string(),
        other => other.to_string(),
    }
}

/// `$XDG_CONFIG_HOME/jit/config.yaml`, else `~/.config/jit/config.yaml`; `None` without
/// either variable.
pub fn default_path() -> Option<PathBuf> {
    Some(
        xdg_dir("XDG_CONFIG_HOME", ".config")?
            .join("jit")
            .join("config.yaml"),
    )
}

/// `$VAR` when set to an absolute path (the XDG rule: relative values are ignored), else
/// `~/fallback`.
fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|home| PathBuf::from(home).join(fallback))
        })
}

// Reading: the YAML along `FIELDS`, with lines.
//
// serde-saphyr reports a line for what it rejects, but a derived struct would lose the key
// (its type errors say "invalid boolean", not whose) and word unknown keys its own way; and a
// value that is good YAML but a bad setting is only found after parsing. So the mappings are
// walked by hand: each key is read as `Spanned`, which gives its line, and the key whose value
// is being read is remembered, so that an error from inside that value can name it.

/// A key the file may hold.
struct Field {
    /// The key as written in its mapping.
    name: &'static str,
    /// The key with its section, as errors and `jit config show` name it: `reason.pattern`.
    path: &'static str,
    shape: Shape,
}

/// What the YAML under a key must be. Reading checks only this; what a text means (a
/// duration, a pattern, a path) is checked by [`Config::parse`].
enum Shape {
    /// A scalar, kept as text; what it should be ("a duration like …"), for the error when
    /// it is not a scalar.
    Text(&'static str),
    /// true or false.
    Flag,
    /// A mapping of these keys.
    Section(&'static [Field]),
}

const DURATION: &str = "a duration like 90s, 30m or 2h";

/// The keys of the file, in the order of the example at the top.
const FIELDS: &[Field] = &[
    Field {
        name: "max_ttl",
        path: "max_ttl",
        shape: Shape::Text(DURATION),
    },
    Field {
        name: "max_lifetime",
        path: "max_lifetime",
        shape: Shape::Text(DURATION),
    },
    Field {
        name: "default_ttl",
        path: "default_ttl",
        shape: Shape::Text(DURATION),
    },
    Field {
        name: "opportunistic_reap",
        path: "opportunistic_reap",
        shape: Shape::Flag,
    },
    Field {
        name: "reason",
        path: "reason",
        shape: Shape::Section(&[
            Field {
                name: "required",
                path: "reason.required",
                shape: Shape::Flag,
            },
            Field {
                name: "pattern",
                path: "reason.pattern",
                shape: Shape::Text("a regular expression"),
            },
        ]),
    },
    Field {
        name: "audit",
        path: "audit",
        shape: Shape::Section(&[
            Field {
                name: "dir",
                path: "audit.dir",
                shape: Shape::Text("an absolute path"),
            },
            Field {
                name: "key_store",
                path: "audit.key_store",
                shape: Shape::Text("a key store: keyring, keyutils or file:/absolute/path"),
            },
        ]),
    },
];

/// Every setting the file may hold, by its dotted key, in the order of the example at the
/// top.
pub fn keys() -> Vec<&'static str> {
    fn leaves(fields: &'static [Field], keys: &mut Vec<&'static str>) {
        for field in fields {
            match field.shape {
                Shape::Section(inner) => leaves(inner, keys),
                _ => keys.push(field.path),
            }
        }
    }
    let mut keys = Vec::new();
    leaves(FIELDS, &mut keys);
    keys
}

impl Shape {
    /// What the YAML should have been, after "expected".
    fn expected(&self) -> String {
        match self {
            Shape::Text(what) => (*what).to_string(),
            Shape::Flag => "true or false".to_string(),
            Shape::Section(fields) => format!("a mapping of {}", names(fields)),
        }
    }
}

fn names(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|field| field.path)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value as read, before it is given its meaning.
#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Text(String),
    Flag(bool),
}

/// The settings in the file, by dotted key, each with the line of its key.
#[derive(Debug, Default)]
struct Values(BTreeMap<&'static str, (Scalar, u64)>);

impl Values {
    fn iter(&self) -> impl Iterator<Item = (&&'static str, &(Scalar, u64))> {
        self.0.iter()
    }

    fn text(&self, key: &str) -> Option<(&str, u64)> {
        match self.0.get(key) {
            Some((Scalar::Text(text), line)) => Some((text, *line)),
            _ => None,
        }
    }

    fn flag(&self, key: &str) -> Option<(bool, u64)> {
        match self.0.get(key) {
            Some((Scalar::Flag(on), line)) => Some((*on, *line)),
            _ => None,
        }
    }
}

/// What went wrong reading the YAML, and the line, when the parser knows it.
#[derive(Debug)]
struct Problem {
    line: Option<u64>,
    message: String,
    hint: Option<String>,
}

/// State shared by the visitors of one read. serde errors are the deserializer's own type,
/// so what an error needs beyond its location is kept here: the key whose value is being
/// read, and an unknown key (reported in our words, with the keys that would do).
#[derive(Default)]
struct Reader {
    values: RefCell<Values>,
    reading: Cell<Option<&'static Field>>,
    unknown: RefCell<Option<Problem>>,
}

/// The settings in `text`, checked against [`FIELDS`] for their keys and YAML types.
fn read(text: &str) -> Result<Values, Problem> {
    let reader = Reader::default();
    let document = Mapping {
        reader: &reader,
        fields: FIELDS,
        section: None,
    };
    match serde_saphyr::with_deserializer_from_str(text, |yaml| document.deserialize(yaml)) {
        Ok(()) => Ok(reader.values.into_inner()),
        Err(err) => Err(reader
            .unknown
            .into_inner()
            .unwrap_or_else(|| yaml_problem(&err, reader.reading.get()))),
    }
}

/// One mapping of the file: the document, or a section such as `reason:`. Empty or null is
/// the same as absent.
#[derive(Clone, Copy)]
struct Mapping<'r> {
    reader: &'r Reader,
    fields: &'static [Field],
    /// The section's own key; `None` for the document.
    section: Option<&'static str>,
}

impl<'de> DeserializeSeed<'de> for Mapping<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, yaml: D) -> Result<(), D::Error> {
        yaml.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Mapping<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a mapping of {}", names(self.fields))
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, yaml: D) -> Result<(), D::Error> {
        yaml.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let line = key.referenced.line();
            let Some(field) = self.fields.iter().find(|field| field.name == key.value) else {
                self.reader
                    .unknown
                    .replace(Some(self.unknown(&key.value, line)));
                // `read` reports the problem just recorded instead of this.
                return Err(de::Error::custom("unknown key"));
            };
            let outer = self.reader.reading.replace(Some(field));
            let value = match field.shape {
                // Null (`max_ttl:` alone, or `~`) leaves the default, like an absent key.
                Shape::Text(_) => map.next_value::<Option<String>>()?.map(Scalar::Text),
                Shape::Flag => map.next_value::<Option<bool>>()?.map(Scalar::Flag),
                Shape::Section(fields) => {
                    map.next_value_seed(Mapping {
                        reader: self.reader,
                        fields,
                        section: Some(field.path),
                    })?;
                    None
                }
            };
            self.reader.reading.set(outer);
            if let Some(value) = value {
                self.reader
                    .values
                    .borrow_mut()
                    .0
                    .insert(field.path, (value, line));
            }
        }
        Ok(())
    }
}

impl Mapping<'_> {
    fn unknown(&self, key: &str, line: u64) -> Problem {
        let path = match self.section {
            Some(section) => format!("{section}.{key}"),
            None => key.to_string(),
        };
        // A typo: close to a key for its length (not `a` for `dir`).
        let near = self
            .fields
            .iter()
            .find(|field| edit_distance(field.name, key) * 3 <= field.name.len());
        Problem {
            line: Some(line),
            message: format!("unknown key {path:?} (known: {})", names(self.fields)),
            hint: near.map(|field| format!("did you mean {}?", field.path)),
        }
    }
}

/// A YAML error: the parser's line, and the key whose value it is in, when there is one. A
/// value of the wrong YAML type is said in terms of the setting ("expected true or false").
fn yaml_problem(err: &serde_saphyr::Error, reading: Option<&Field>) -> Problem {
    let wrong_type = matches!(
        err.without_snippet(),
        serde_saphyr::Error::Unexpected { .. }
            | serde_saphyr::Error::InvalidScalar { .. }
            | serde_saphyr::Error::InvalidBooleanStrict { .. }
    );
    let message = match reading {
        Some(field) if wrong_type => {
            format!("{}: expected {}", field.path, field.shape.expected())
        }
        Some(field) => format!("{}: {}", field.path, wording(err)),
        None if wrong_type => format!("expected a mapping of {}", names(FIELDS)),
        None => wording(err),
    };
    Problem {
        line: err.location().map(|at| at.line()).filter(|&line| line > 0),
        message,
        hint: None,
    }
}

/// serde-saphyr's wording for people (not its hints for developers), without its "at line
/// L, column C": the message follows `FILE:LINE:` here.
fn wording(err: &serde_saphyr::Error) -> String {
    struct Unplaced;
    impl Localizer for Unplaced {
        fn attach_location<'a>(&self, base: Cow<'a, str>, _: Location) -> Cow<'a, str> {
            base
        }
    }
    impl MessageFormatter for Unplaced {
        fn localizer(&self) -> &dyn Localizer {
            self
        }
        fn format_message<'a>(&self, err: &'a serde_saphyr::Error) -> Cow<'a, str> {
            serde_saphyr::UserMessageFormatter.format_message(err)
        }
    }
    err.render_with_options(serde_saphyr::render_options! {
        formatter: &Unplaced,
        snippets: SnippetMode::Off,
    })
}

/// Levenshtein distance, for "did you mean": the keys are a few short words.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::{Exit, classify};

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("/etc/jit.yaml"))
    }

    /// The message as `jit` prints it (after "jit: "), checking that it is a usage error.
    #[track_caller]
    fn error(text: &str) -> String {
        let err = parse(text).unwrap_err();
        assert_eq!(classify(&err).0, Exit::Usage, "{err:#}");
        format!("{err:#}")
    }

    #[track_caller]
    fn hint(text: &str) -> Option<String> {
        classify(&parse(text).unwrap_err()).1.map(str::to_string)
    }

    #[test]
    fn defaults_when_empty_or_null() {
        for text in [
            "",
            "\n",
            "# nothing set yet\n",
            "reason:\n",
            "max_ttl: ~\naudit: {}\n",
        ] {
            let config = parse(text).unwrap();
            assert_eq!(config.max_ttl, Duration::from_secs(8 * 3600), "{text:?}");
            assert_eq!(config.max_lifetime, crate::expiry::DEFAULT_MAX_LIFETIME);
            assert!(config.reason_required);
            assert!(config.opportunistic_reap);
            assert!(config.default_ttl.is_none());
            assert!(config.key_store.is_none());
            assert!(config.lines.is_empty(), "{text:?}: {:?}", config.lines);
            assert_eq!(config.origin("max_ttl"), Origin::Default);
        }
    }

    const EVERY_KEY: &str = "\
# all of them
max_ttl: 2h
max_lifetime: 12h
default_ttl: 15m
opportunistic_reap: false
reason:
  required: false
  pattern: '^INC-[0-9]+'

audit:
  dir: /var/lib/jit
  key_store: file:/etc/jit/alice.key
";

    #[test]
    fn every_key_with_its_line() {
        let config = parse(EVERY_KEY).unwrap();
        assert_eq!(config.max_ttl, Duration::from_secs(7200));
        assert_eq!(config.max_lifetime, Duration::from_secs(12 * 3600));
        assert_eq!(config.default_ttl, Some(Duration::from_secs(900)));
        assert!(!config.opportunistic_reap);
        assert!(!config.reason_required);
        assert!(config.reason_pattern.as_ref().unwrap().is_match("INC-12"));
        assert_eq!(config.audit_dir, Some(PathBuf::from("/var/lib/jit")));
        assert_eq!(
            config.key_store,
            Some(KeyStore::File(PathBuf::from("/etc/jit/alice.key")))
        );
        let lines: Vec<(&str, u64)> = config.lines.iter().map(|(k, l)| (*k, *l)).collect();
        assert_eq!(
            lines,
            [
                ("audit.dir", 11),
                ("audit.key_store", 12),
                ("default_ttl", 4),
                ("max_lifetime", 3),
                ("max_ttl", 2),
                ("opportunistic_reap", 5),
                ("reason.pattern", 8),
                ("reason.required", 7),
            ]
        );
        assert_eq!(
            config.origin("reason.pattern"),
            Origin::File {
                path: PathBuf::from("/etc/jit.yaml"),
                line: 8
            }
        );
        assert_eq!(
            config.origin("reason.pattern").to_string(),
            "file /etc/jit.yaml:8"
        );
        // Every key the file can hold was set above.
        assert_eq!(config.lines.len(), keys().len());
    }

    #[test]
    fn only_what_the_file_sets_comes_from_it() {
        // A flow mapping, and a value on the line after its key: the key's line counts.
        let config = parse("reason: {required: false}\nmax_ttl:\n  4h\n").unwrap();
        assert_eq!(
            config.origin("reason.required").to_string(),
            "file /etc/jit.yaml:1"
        );
        assert_eq!(config.origin("max_ttl").to_string(), "file /etc/jit.yaml:2");
        assert_eq!(config.origin("reason.pattern"), Origin::Default);
        assert_eq!(config.origin("max_lifetime").to_string(), "default");
        assert_eq!(Config::default().origin("max_ttl"), Origin::Default);
    }

    #[test]
    fn keys_lists_every_setting_in_the_documented_order() {
        assert_eq!(
            keys(),
            [
                "max_ttl",
                "max_lifetime",
                "default_ttl",
                "opportunistic_reap",
                "reason.required",
                "reason.pattern",
                "audit.dir",
                "audit.key_store",
            ]
        );
    }

    #[test]
    fn a_bad_value_names_the_file_line_and_key() {
        assert_eq!(
            error("# limits\nmax_lifetime: 24h\nmax_ttl: eight hours\n"),
            "configuration /etc/jit.yaml:3: max_ttl: \"eight hours\" is not a duration like \
             90s, 30m or 2h"
        );
        assert_eq!(
            error("default_ttl: 0s\n"),
            "configuration /etc/jit.yaml:1: default_ttl: \"0s\" is shorter than 1s"
        );
        assert_eq!(
            error("audit:\n  dir: logs\n"),
            "configuration /etc/jit.yaml:2: audit.dir: \"logs\" must be an absolute path (cron \
             runs jit from another directory)"
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        let text = "max_ttl: 2h\n\n# typo below\nmax_tll: 4h\n";
        assert_eq!(
            error(text),
            "configuration /etc/jit.yaml:4: unknown key \"max_tll\" (known: max_ttl, \
             max_lifetime, default_ttl, opportunistic_reap, reason, audit)"
        );
        assert_eq!(hint(text).as_deref(), Some("did you mean max_ttl?"));
        let text = "audit:\n  dir: /var/lib/jit\n  key: keyring\n";
        assert_eq!(
            error(text),
            "configuration /etc/jit.yaml:3: unknown key \"audit.key\" (known: audit.dir, \
             audit.key_store)"
        );
        assert_eq!(hint(text), None, "too far from both to guess");
        assert_eq!(
            hint("reason:\n  requird: false\n").as_deref(),
            Some("did you mean reason.required?")
        );
    }

    #[test]
    fn wrong_yaml_types_say_what_was_expected() {
        assert_eq!(
            error("max_ttl: 2h\nopportunistic_reap: maybe\n"),
            "configuration /etc/jit.yaml:2: opportunistic_reap: expected true or false"
        );
        assert_eq!(
            error("max_ttl: [2h]\n"),
            "configuration /etc/jit.yaml:1: max_ttl: expected a duration like 90s, 30m or 2h"
        );
        assert_eq!(
            error("reason:\n  required: {yes: no}\n"),
            "configuration /etc/jit.yaml:2: reason.required: expected true or false"
        );
        assert_eq!(
            error("reason: INC-1\n"),
            "configuration /etc/jit.yaml:1: reason: expected a mapping of reason.required, \
             reason.pattern"
        );
        assert_eq!(
            error("- max_ttl: 2h\n"),
            "configuration /etc/jit.yaml:1: expected a mapping of max_ttl, max_lifetime, \
             default_ttl, opportunistic_reap, reason, audit"
        );
    }

    #[test]
    fn yaml_errors_keep_the_parsers_line_and_name_the_key_they_are_in() {
        assert_eq!(
            error("max_ttl: 1h\nmax_ttl: 2h\n"),
            "configuration /etc/jit.yaml:2: duplicate mapping key `max_ttl` is not allowed here"
        );
        assert_eq!(
            error("max_ttl: 1h\ndefault_ttl: \"30m\n"),
            "configuration /etc/jit.yaml:2: default_ttl: unclosed quote"
        );
    }

    #[test]
    fn a_bad_pattern_is_reported_at_its_line_in_one_line() {
        assert_eq!(
            error("reason:\n  required: true\n  pattern: '^(INC-[0-9]+'\n"),
            "configuration /etc/jit.yaml:3: reason.pattern: \"^(INC-[0-9]+\" is not a regular \
             expression: unclosed group"
        );
    }

    #[test]
    fn limits_that_contradict_each_other_are_reported_where_set() {
        assert_eq!(
            error("max_lifetime: 12h\n\nmax_ttl: 16h\n"),
            "configuration /etc/jit.yaml:3: max_ttl: 16h is longer than max_lifetime 12h (line 1)"
        );
        assert_eq!(
            error("max_lifetime: 4h\n"),
            "configuration /etc/jit.yaml:1: max_lifetime: 4h is shorter than max_ttl 8h (the \
             default)"
        );
        assert_eq!(
            error("max_ttl: 1h\ndefault_ttl: 2h\n"),
            "configuration /etc/jit.yaml:2: default_ttl: 2h is longer than max_ttl 1h (line 1)"
        );
        assert_eq!(
            error("default_ttl: 9h\n"),
            "configuration /etc/jit.yaml:1: default_ttl: 9h is longer than max_ttl 8h (the \
             default)"
        );
    }

    #[test]
    fn the_key_store_is_checked_as_log_init_checks_it() {
        assert_eq!(
            parse("audit:\n  key_store: keyutils\n").unwrap().key_store,
            Some(KeyStore::Keyutils)
        );
        let err = error("audit:\n  dir: /var/lib/jit\n  key_store: vault\n");
        assert!(
            err.starts_with(
                "configuration /etc/jit.yaml:3: audit.key_store: unknown key store \"vault\""
            ),
            "{err}"
        );
        let err = error("audit:\n  key_store: file:keys/alice\n");
        assert!(
            err.starts_with("configuration /etc/jit.yaml:2: audit.key_store: ")
                && err.contains("absolute path"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_explicit_file_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.yaml");
        let err = Config::load(Some(&path)).unwrap_err();
        assert_eq!(classify(&err).0, Exit::Usage);
        assert_eq!(
            format!("{err:#}"),
            format!("configuration {}: no such file", path.display())
        );
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("max_ttl", "max_tll"), 1);
        assert_eq!(edit_distance("dir", "key"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("required", "requird"), 1);
    }
}
