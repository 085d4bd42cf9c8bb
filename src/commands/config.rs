//! `jit config show`: the settings in force, each with where its value came from (a line of
//! the configuration file, the environment, or jit's default), and which file was read.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use serde_json::{Value as Json, json};

use crate::audit::keys::KeyStore;
use crate::cli::{ConfigCommand, GlobalArgs};
use crate::config::{self, Config, Origin};
use crate::exit::Exit;
use crate::output;

pub fn run(
    global: &GlobalArgs,
    command: &ConfigCommand,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Exit> {
    let ConfigCommand::Show(args) = command;
    let file = File::of(global, config);
    let settings = settings(config);
    if args.output.is_some() {
        let settings: serde_json::Map<String, Json> = settings
            .iter()
            .map(|s| (s.key.to_string(), s.json()))
            .collect();
        let report = json!({ "file": file.json(), "settings": settings });
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", file.headline())?;
        let values: Vec<String> = settings.iter().map(|s| s.value.to_string()).collect();
        let key_width = settings.iter().map(|s| s.key.len()).max().unwrap_or(0);
        let value_width = values.iter().map(String::len).max().unwrap_or(0);
        for (setting, value) in settings.iter().zip(&values) {
            writeln!(
                out,
                "  {:key_width$}  {value:value_width$}  {}",
                setting.key, setting.origin
            )?;
        }
    }
    Ok(Exit::Success)
}

/// The configuration file: the one read, or the default location, where none was.
struct File {
    path: Option<PathBuf>,
    read: bool,
    /// How the path was chosen: `--config`, `JIT_CONFIG`, or the default location.
    chosen_by: &'static str,
}

impl File {
    fn of(global: &GlobalArgs, config: &Config) -> File {
        match &config.file {
            Some(path) => File {
                path: Some(path.clone()),
                read: true,
                // clap merges the flag and the variable; the flag wins when both are given.
                chosen_by: match (&global.config, std::env::var_os("JIT_CONFIG")) {
                    (None, _) => "default",
                    (Some(flag), Some(var)) if flag.as_os_str() == var => "JIT_CONFIG",
                    (Some(_), _) => "--config",
                },
            },
            None => File {
                path: config::default_path(),
                read: false,
                chosen_by: "default",
            },
        }
    }

    fn headline(&self) -> String {
        match (&self.path, self.read) {
            (Some(path), true) if self.chosen_by == "default" => {
                format!("configuration file {}", path.display())
            }
            (Some(path), true) => format!(
                "configuration file {} (from {})",
                path.display(),
                self.chosen_by
            ),
            (Some(path), false) => format!(
                "no configuration file ({} does not exist): the defaults",
                path.display()
            ),
            (None, _) => "no configuration file (HOME is not set): the defaults".to_string(),
        }
    }

    fn json(&self) -> Json {
        json!({
            "path": self.path,
            "read": self.read,
            "from": self.chosen_by,
        })
    }
}

/// One setting, its value in force, and where that came from.
struct Setting {
    key: &'static str,
    value: Value,
    origin: Origin,
}

/// A value as shown: text (durations as the file would say them) or a flag; `Unset` says in
/// words what its absence means.
enum Value {
    Text(String),
    Flag(bool),
    Unset(String),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Text(text) => f.write_str(text),
            Value::Flag(on) => write!(f, "{on}"),
            Value::Unset(meaning) => write!(f, "none ({meaning})"),
        }
    }
}

impl Setting {
    fn json(&self) -> Json {
        let value = match &self.value {
            Value::Text(text) => json!(text),
            Value::Flag(on) => json!(on),
            Value::Unset(_) => Json::Null,
        };
        let mut object = json!({ "value": value });
        let source = match &self.origin {
            Origin::File { path, line } => {
                json!({ "source": "file", "path": path, "line": line })
            }
            Origin::Env(var) => json!({ "source": "env", "var": var }),
            Origin::Default => json!({ "source": "default" }),
        };
        if let (Some(object), Json::Object(source)) = (object.as_object_mut(), source) {
            object.extend(source);
        }
        object
    }
}

/// Every setting of [`config::keys`], in that order.
fn settings(config: &Config) -> Vec<Setting> {
    let from = |key: &'static str, value: Value| Setting {
        key,
        value,
        origin: config.origin(key),
    };
    let audit_dir = match config.audit_dir_origin() {
        Ok((dir, origin)) => Setting {
            key: "audit.dir",
            value: Value::Text(dir.display().to_string()),
            origin,
        },
        Err(err) => from("audit.dir", Value::Unset(format!("{err:#}"))),
    };
    vec![
        from("max_ttl", Value::Text(output::duration(config.max_ttl))),
        from(
            "max_lifetime",
            Value::Text(output::duration(config.max_lifetime)),
        ),
        from(
            "default_ttl",
            match config.default_ttl {
                Some(ttl) => Value::Text(output::duration(ttl)),
                None => Value::Unset("--ttl is required".to_string()),
            },
        ),
        from("opportunistic_reap", Value::Flag(config.opportunistic_reap)),
        from("reason.required", Value::Flag(config.reason_required)),
        from(
            "reason.pattern",
            match &config.reason_pattern {
                Some(pattern) => Value::Text(pattern.as_str().to_string()),
                None => Value::Unset("any reason".to_string()),
            },
        ),
        audit_dir,
        // What `jit log init` uses for a person key without --store.
        from(
            "audit.key_store",
            Value::Text(
                config
                    .key_store
                    .clone()
                    .unwrap_or(KeyStore::Keyring)
                    .to_string(),
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_is_shown_in_order() {
        let keys: Vec<&str> = settings(&Config::default()).iter().map(|s| s.key).collect();
        assert_eq!(keys, config::keys());
    }
}
