//! Kubernetes label selectors in kubectl syntax (`app=db,tier!=cache,env in (a,b),!legacy`).
//!
//! The grammar and its quirks follow the parser in `k8s.io/apimachinery/pkg/labels/selector.go`,
//! so a selector that works with `kubectl get -l` works here too and means the same thing. The one
//! deliberate difference: Go reads `key in ()` as `key in ("")`, which is almost always a typo, so
//! here it is an error (write `key in (,)` if an empty value really is meant).
//!
//! Error messages are written for people: they are printed after the user's own flag text, so each
//! one names the offending token and quotes the requirement it appeared in.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

const NAME_MAX_LEN: usize = 63;
const PREFIX_MAX_LEN: usize = 253;
const VALUE_MAX_LEN: usize = 63;

const VALUE_RULE: &str = "must be 63 characters or less, begin and end with an alphanumeric \
                          character, and contain only alphanumerics, '-', '_' or '.'";
const NAME_RULE: &str = "must begin and end with an alphanumeric character and contain only \
                         alphanumerics, '-', '_' or '.'";

/// A parsed label selector: requirements AND-ed together.
///
/// Requirements are kept sorted (by key first, so the canonical text groups a key's requirements
/// together, as kubectl does) and deduplicated, so selectors that mean the same thing textually
/// compare equal however they were written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Selector {
    requirements: Vec<Requirement>,
}

/// One requirement of a [`Selector`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Requirement {
    /// `key=value` or `key==value`
    Equals { key: String, value: String },
    /// `key!=value`
    NotEquals { key: String, value: String },
    /// `key in (v1,v2)`
    In {
        key: String,
        values: BTreeSet<String>,
    },
    /// `key notin (v1,v2)`
    NotIn {
        key: String,
        values: BTreeSet<String>,
    },
    /// `key`
    Exists { key: String },
    /// `!key`
    DoesNotExist { key: String },
}

impl Requirement {
    pub fn key(&self) -> &str {
        match self {
            Requirement::Equals { key, .. }
            | Requirement::NotEquals { key, .. }
            | Requirement::In { key, .. }
            | Requirement::NotIn { key, .. }
            | Requirement::Exists { key }
            | Requirement::DoesNotExist { key } => key,
        }
    }

    /// Kubernetes semantics: the negative operators (`!=`, `notin`) also match objects that do
    /// not carry the key at all, while `=` and `in` need it present.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let actual = labels.get(self.key());
        match self {
            Requirement::Equals { value, .. } => actual == Some(value),
            Requirement::NotEquals { value, .. } => actual != Some(value),
            Requirement::In { values, .. } => actual.is_some_and(|v| values.contains(v)),
            Requirement::NotIn { values, .. } => !actual.is_some_and(|v| values.contains(v)),
            Requirement::Exists { .. } => actual.is_some(),
            Requirement::DoesNotExist { .. } => actual.is_none(),
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Requirement::Equals { key, value } => write!(f, "{key}={value}"),
            Requirement::NotEquals { key, value } => write!(f, "{key}!={value}"),
            Requirement::In { key, values } => {
                write!(f, "{key} in ")?;
                write_value_list(f, values)
            }
            Requirement::NotIn { key, values } => {
                write!(f, "{key} notin ")?;
                write_value_list(f, values)
            }
            Requirement::Exists { key } => f.write_str(key),
            Requirement::DoesNotExist { key } => write!(f, "!{key}"),
        }
    }
}

fn write_value_list(f: &mut fmt::Formatter<'_>, values: &BTreeSet<String>) -> fmt::Result {
    // A list holding only the empty value would print as "()", which we reject when parsing;
    // "(,)" reads back as exactly that set.
    if values.len() == 1 && values.contains("") {
        return f.write_str("(,)");
    }
    f.write_str("(")?;
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        f.write_str(value)?;
    }
    f.write_str(")")
}

/// Why a selector could not be parsed or converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    message: String,
    offending: String,
}

impl SelectorError {
    fn new(message: impl Into<String>, offending: impl Into<String>) -> Self {
        SelectorError {
            message: message.into(),
            offending: offending.into(),
        }
    }

    /// The full, user-facing explanation (the same text as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The token, key, value or operator the error is about, exactly as the user wrote it.
    pub fn offending(&self) -> &str {
        &self.offending
    }
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SelectorError {}

impl Selector {
    fn from_requirements(mut requirements: Vec<Requirement>) -> Selector {
        requirements.sort_by(|a, b| a.key().cmp(b.key()).then_with(|| a.cmp(b)));
        requirements.dedup();
        Selector { requirements }
    }

    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// True for the selector parsed from "", which matches everything; callers decide whether
    /// that is acceptable.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// The API form. Plain equalities become `matchLabels`; everything else becomes
    /// `matchExpressions`, in the selector's (deterministic) order. Empty parts are `None` rather
    /// than empty collections so the serialised object stays minimal.
    pub fn to_label_selector(&self) -> LabelSelector {
        let mut match_labels = BTreeMap::new();
        let mut match_expressions = Vec::new();
        let mut expression = |key: &str, operator: &str, values: Option<Vec<String>>| {
            match_expressions.push(LabelSelectorRequirement {
                key: key.to_owned(),
                operator: operator.to_owned(),
                values,
            });
        };
        for requirement in &self.requirements {
            match requirement {
                Requirement::Equals { key, value } => {
                    // matchLabels holds one value per key. A second equality on the same key
                    // (`app=a,app=b`) must not be dropped or it would widen an unsatisfiable
                    // selector into a satisfiable one.
                    if match_labels.contains_key(key) {
                        expression(key, "In", Some(vec![value.clone()]));
                    } else {
                        match_labels.insert(key.clone(), value.clone());
                    }
                }
                Requirement::NotEquals { key, value } => {
                    expression(key, "NotIn", Some(vec![value.clone()]));
                }
                Requirement::In { key, values } => {
                    expression(key, "In", Some(values.iter().cloned().collect()));
                }
                Requirement::NotIn { key, values } => {
                    expression(key, "NotIn", Some(values.iter().cloned().collect()));
                }
                Requirement::Exists { key } => expression(key, "Exists", None),
                Requirement::DoesNotExist { key } => expression(key, "DoesNotExist", None),
            }
        }
        // Ordering by the API form itself (rather than by our requirements) makes the output a
        // fixed point of from_label_selector/to_label_selector even though `!=` comes back as
        // `notin`, so a policy read from the cluster compares equal to the one we would write.
        match_expressions.sort_by(|a, b| {
            (&a.key, &a.operator, &a.values).cmp(&(&b.key, &b.operator, &b.values))
        });
        match_expressions.dedup();
        LabelSelector {
            match_labels: (!match_labels.is_empty()).then_some(match_labels),
            match_expressions: (!match_expressions.is_empty()).then_some(match_expressions),
        }
    }

    /// The inverse of [`Selector::to_label_selector`], for selectors read from the cluster or
    /// from files. Validates everything the API server would, so a bad object fails here with a
    /// readable message rather than later.
    pub fn from_label_selector(ls: &LabelSelector) -> Result<Selector, SelectorError> {
        let mut requirements = Vec::new();
        for (key, value) in ls.match_labels.iter().flatten() {
            check_key(key)?;
            check_value(key, value)?;
            requirements.push(Requirement::Equals {
                key: key.clone(),
                value: value.clone(),
            });
        }
        for expr in ls.match_expressions.iter().flatten() {
            let key = &expr.key;
            check_key(key)?;
            let values = expr.values.as_deref().unwrap_or_default();
            let requirement = match expr.operator.as_str() {
                op @ ("In" | "NotIn") => {
                    if values.is_empty() {
                        return Err(SelectorError::new(
                            format!(
                                "matchExpressions operator \"{op}\" for key \"{key}\" needs at \
                                 least one value"
                            ),
                            op,
                        ));
                    }
                    for value in values {
                        check_value(key, value)?;
                    }
                    let values = values.iter().cloned().collect();
                    if op == "In" {
                        Requirement::In {
                            key: key.clone(),
                            values,
                        }
                    } else {
                        Requirement::NotIn {
                            key: key.clone(),
                            values,
                        }
                    }
                }
                op @ ("Exists" | "DoesNotExist") => {
                    if !values.is_empty() {
                        return Err(SelectorError::new(
                            format!(
                                "matchExpressions operator \"{op}\" for key \"{key}\" takes no \
                                 values, but has {values:?}"
                            ),
                            op,
                        ));
                    }
                    if op == "Exists" {
                        Requirement::Exists { key: key.clone() }
                    } else {
                        Requirement::DoesNotExist { key: key.clone() }
                    }
                }
                op => {
                    return Err(SelectorError::new(
                        format!(
                            "unknown matchExpressions operator \"{op}\" for key \"{key}\": \
                             expected In, NotIn, Exists or DoesNotExist"
                        ),
                        op,
                    ));
                }
            };
            requirements.push(requirement);
        }
        Ok(Selector::from_requirements(requirements))
    }

    /// A selector requiring every label in `labels`, e.g. a Service's `spec.selector`. The labels
    /// are taken as already validated (they came from the API server).
    pub fn from_labels(labels: &BTreeMap<String, String>) -> Selector {
        Selector::from_requirements(
            labels
                .iter()
                .map(|(key, value)| Requirement::Equals {
                    key: key.clone(),
                    value: value.clone(),
                })
                .collect(),
        )
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, requirement) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{requirement}")?;
        }
        Ok(())
    }
}

impl FromStr for Selector {
    type Err = SelectorError;

    fn from_str(input: &str) -> Result<Selector, SelectorError> {
        let parser = Parser {
            input,
            tokens: lex(input),
            pos: 0,
            req_start: 0,
            req_text: "",
        };
        parser.selector().map(Selector::from_requirements)
    }
}

/// Checks a label key: an optional lowercase DNS-subdomain prefix and "/", then a name of at
/// most 63 characters. The error explains the rule that was broken (without repeating the key).
pub fn validate_label_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("must not be empty".to_owned());
    }
    let Some((prefix, name)) = key.split_once('/') else {
        return validate_name(key);
    };
    if name.contains('/') {
        return Err(
            "may contain at most one \"/\", between an optional DNS subdomain prefix and \
                    the name (e.g. example.com/my-name)"
                .to_owned(),
        );
    }
    if prefix.is_empty() {
        return Err("the prefix before \"/\" must not be empty".to_owned());
    }
    if prefix.len() > PREFIX_MAX_LEN {
        return Err(format!(
            "the prefix before \"/\" must be {PREFIX_MAX_LEN} characters or less (it has {})",
            prefix.chars().count()
        ));
    }
    if !is_dns_subdomain(prefix) {
        return Err(format!(
            "the prefix \"{prefix}\" must be a lowercase DNS subdomain (e.g. example.com): \
             lowercase alphanumerics, '-' and '.', with each dot-separated part beginning and \
             ending with an alphanumeric character"
        ));
    }
    validate_name(name).map_err(|why| format!("the name \"{name}\" after \"/\" {why}"))
}

/// Checks a label value: empty, or at most 63 characters of the same alphabet as key names.
pub fn validate_label_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    if value.len() > VALUE_MAX_LEN {
        return Err(format!(
            "{VALUE_RULE} (it has {} characters)",
            value.chars().count()
        ));
    }
    if !is_qualified_name_part(value) {
        return Err(VALUE_RULE.to_owned());
    }
    Ok(())
}

fn validate_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if name.len() > NAME_MAX_LEN {
        return Err(format!(
            "must be {NAME_MAX_LEN} characters or less (it has {})",
            name.chars().count()
        ));
    }
    if !is_qualified_name_part(name) {
        return Err(NAME_RULE.to_owned());
    }
    Ok(())
}

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`
fn is_qualified_name_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
        }
        _ => false,
    }
}

/// RFC 1123 subdomain as Kubernetes checks it: dot-separated parts of `[a-z0-9-]` that begin and
/// end alphanumerically. (Like Kubernetes, only the total length is limited.)
fn is_dns_subdomain(s: &str) -> bool {
    s.split('.').all(|part| {
        let bytes = part.as_bytes();
        match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) => {
                is_lower_alnum(*first)
                    && is_lower_alnum(*last)
                    && bytes.iter().all(|&b| is_lower_alnum(b) || b == b'-')
            }
            _ => false,
        }
    })
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn check_key(key: &str) -> Result<(), SelectorError> {
    validate_label_key(key)
        .map_err(|why| SelectorError::new(format!("invalid label key \"{key}\": {why}"), key))
}

fn check_value(key: &str, value: &str) -> Result<(), SelectorError> {
    validate_label_value(value).map_err(|why| {
        SelectorError::new(
            format!("invalid label value \"{value}\" for key \"{key}\": {why}"),
            value,
        )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// Any run of characters that are neither whitespace nor special; keys, values and the
    /// `in`/`notin` keywords alike. Whether a word is a keyword depends on where it appears
    /// (`in=in` is a valid selector), so the parser decides, as Go's does.
    Word,
    Eq,
    DoubleEq,
    NotEq,
    Bang,
    Gt,
    Lt,
    Open,
    Close,
    Comma,
    End,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    kind: Tok,
    text: &'a str,
    start: usize,
    end: usize,
}

fn is_special(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Tokenises like Go's lexer: whitespace separates tokens, `==` and `!=` are the only two-byte
/// symbols, and everything else up to whitespace or a symbol is a word. Splitting only at ASCII
/// bytes keeps every slice on a UTF-8 boundary.
fn lex(input: &str) -> Vec<Token<'_>> {
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_space(b) {
            i += 1;
            continue;
        }
        let start = i;
        let kind = if is_special(b) {
            let two = bytes.get(i + 1) == Some(&b'=');
            i += 1;
            match b {
                b'=' if two => {
                    i += 1;
                    Tok::DoubleEq
                }
                b'!' if two => {
                    i += 1;
                    Tok::NotEq
                }
                b'=' => Tok::Eq,
                b'!' => Tok::Bang,
                b'(' => Tok::Open,
                b')' => Tok::Close,
                b',' => Tok::Comma,
                b'>' => Tok::Gt,
                _ => Tok::Lt,
            }
        } else {
            while i < bytes.len() && !is_space(bytes[i]) && !is_special(bytes[i]) {
                i += 1;
            }
            Tok::Word
        };
        tokens.push(Token {
            kind,
            text: &input[start..i],
            start,
            end: i,
        });
    }
    tokens.push(Token {
        kind: Tok::End,
        text: "",
        start: input.len(),
        end: input.len(),
    });
    tokens
}

struct Parser<'a> {
    input: &'a str,
    tokens: Vec<Token<'a>>,
    pos: usize,
    /// Where the requirement being parsed starts, and its whole text (up to the next top-level
    /// comma), so errors can quote it.
    req_start: usize,
    req_text: &'a str,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Token<'a> {
        self.tokens[self.pos]
    }

    fn next(&mut self) -> Token<'a> {
        let token = self.tokens[self.pos];
        if token.kind != Tok::End {
            self.pos += 1;
        }
        token
    }

    fn begin_requirement(&mut self) {
        let first = self.peek();
        let mut end = first.start;
        let mut depth = 0usize;
        for token in &self.tokens[self.pos..] {
            match token.kind {
                Tok::End => break,
                Tok::Comma if depth == 0 => break,
                Tok::Open => depth += 1,
                Tok::Close => depth = depth.saturating_sub(1),
                _ => {}
            }
            end = token.end;
        }
        self.req_start = first.start;
        self.req_text = &self.input[first.start..end];
    }

    fn selector(mut self) -> Result<Vec<Requirement>, SelectorError> {
        let mut requirements = Vec::new();
        if self.peek().kind == Tok::End {
            return Ok(requirements);
        }
        loop {
            self.begin_requirement();
            let first = self.peek();
            let ctx = self.req_text;
            let whole = self.input.trim();
            match first.kind {
                Tok::Word | Tok::Bang => {}
                Tok::Comma if requirements.is_empty() => {
                    return Err(SelectorError::new(
                        "the selector starts with \",\": expected a requirement such as app=db \
                         before it",
                        ",",
                    ));
                }
                Tok::Comma => {
                    return Err(SelectorError::new(
                        format!(
                            "two \",\" in a row in \"{whole}\": expected a requirement between them"
                        ),
                        ",",
                    ));
                }
                // Only reachable after a comma: an empty input returned above.
                Tok::End => {
                    return Err(SelectorError::new(
                        format!(
                            "expected a requirement after the trailing \",\" in \"{whole}\"; \
                             remove the \",\" or add a requirement"
                        ),
                        ",",
                    ));
                }
                Tok::Eq | Tok::DoubleEq | Tok::NotEq | Tok::Gt | Tok::Lt => {
                    return Err(SelectorError::new(
                        format!("missing label key before \"{}\" in \"{ctx}\"", first.text),
                        first.text,
                    ));
                }
                Tok::Open | Tok::Close => {
                    return Err(SelectorError::new(
                        format!(
                            "unexpected \"{}\" where a label key was expected in \"{ctx}\"",
                            first.text
                        ),
                        first.text,
                    ));
                }
            }

            let requirement = self.requirement()?;
            let parsed = &self.input[self.req_start..self.tokens[self.pos - 1].end];
            let separator = self.next();
            match separator.kind {
                Tok::End => {
                    requirements.push(requirement);
                    return Ok(requirements);
                }
                Tok::Comma => requirements.push(requirement),
                _ => return Err(self.bad_separator(&requirement, parsed, separator)),
            }
        }
    }

    fn bad_separator(
        &self,
        requirement: &Requirement,
        parsed: &str,
        found: Token,
    ) -> SelectorError {
        let ctx = self.req_text;
        let text = found.text;
        let message = match (requirement, found.kind) {
            // Go accepts `!app` and only then trips over the operator; explain the real mistake.
            (
                Requirement::DoesNotExist { key },
                Tok::Eq | Tok::DoubleEq | Tok::NotEq | Tok::Word | Tok::Gt | Tok::Lt,
            ) => format!(
                "unexpected \"{text}\" after \"{parsed}\" in \"{ctx}\": \"!{key}\" only selects \
                 where the label {key} is absent and takes no operator or value; use \
                 \"{key}!=VALUE\" to exclude a value"
            ),
            (_, Tok::Word) => format!(
                "unexpected \"{text}\" after \"{parsed}\" in \"{ctx}\": separate requirements \
                 with \",\" (values cannot contain spaces)"
            ),
            _ => format!(
                "unexpected \"{text}\" after \"{parsed}\" in \"{ctx}\": expected \",\" or the end \
                 of the selector"
            ),
        };
        SelectorError::new(message, text)
    }

    fn requirement(&mut self) -> Result<Requirement, SelectorError> {
        let ctx = self.req_text;
        let mut token = self.next();
        let negated = token.kind == Tok::Bang;
        if negated {
            token = self.next();
            match token.kind {
                Tok::Word => {}
                Tok::End | Tok::Comma => {
                    return Err(SelectorError::new(
                        format!("expected a label key after \"!\" in \"{ctx}\""),
                        "!",
                    ));
                }
                _ => {
                    return Err(SelectorError::new(
                        format!(
                            "expected a label key after \"!\" but found \"{}\" in \"{ctx}\"",
                            token.text
                        ),
                        token.text,
                    ));
                }
            }
        }
        let key = token.text;
        check_key(key)?;
        let key_owned = key.to_owned();
        if negated {
            // Anything after `!key` other than "," is reported by the caller, as Go does.
            return Ok(Requirement::DoesNotExist { key: key_owned });
        }
        if matches!(self.peek().kind, Tok::End | Tok::Comma) {
            return Ok(Requirement::Exists { key: key_owned });
        }

        let op = self.next();
        Ok(match (op.kind, op.text) {
            (Tok::Eq | Tok::DoubleEq, _) => Requirement::Equals {
                key: key_owned,
                value: self.exact_value(key, op)?,
            },
            (Tok::NotEq, _) => Requirement::NotEquals {
                key: key_owned,
                value: self.exact_value(key, op)?,
            },
            (Tok::Word, "in") => Requirement::In {
                key: key_owned,
                values: self.value_list(key, op)?,
            },
            (Tok::Word, "notin") => Requirement::NotIn {
                key: key_owned,
                values: self.value_list(key, op)?,
            },
            _ => return Err(self.bad_operator(key, op)),
        })
    }

    fn bad_operator(&self, key: &str, op: Token) -> SelectorError {
        let ctx = self.req_text;
        let text = op.text;
        let message = match op.kind {
            Tok::Bang => format!(
                "\"!\" is not an operator in \"{ctx}\": use \"{key}!=VALUE\" to exclude a value, \
                 or \"!{key}\" to select only where the label is absent"
            ),
            Tok::Gt | Tok::Lt => format!(
                "the \"{text}\" operator is not supported in \"{ctx}\"; use =, ==, !=, in or notin"
            ),
            Tok::Word if text.eq_ignore_ascii_case("in") || text.eq_ignore_ascii_case("notin") => {
                format!(
                    "unknown operator \"{text}\" in \"{ctx}\": operators are lowercase, use \"{}\"",
                    text.to_ascii_lowercase()
                )
            }
            Tok::Word => format!(
                "expected an operator (=, ==, !=, in or notin) after the label key \"{key}\" but \
                 found \"{text}\" in \"{ctx}\" (keys and values cannot contain spaces)"
            ),
            _ => format!(
                "expected an operator (=, ==, !=, in or notin) after the label key \"{key}\" but \
                 found \"{text}\" in \"{ctx}\""
            ),
        };
        SelectorError::new(message, text)
    }

    /// The value after `=`, `==` or `!=`. Like Go, a missing value means the empty value, so
    /// `app=` selects objects whose label app is set to "".
    fn exact_value(&mut self, key: &str, op: Token) -> Result<String, SelectorError> {
        let token = self.peek();
        let value = match token.kind {
            Tok::End | Tok::Comma => "",
            Tok::Word => self.next().text,
            _ => {
                return Err(SelectorError::new(
                    format!(
                        "expected a value after \"{}\" but found \"{}\" in \"{}\"",
                        op.text, token.text, self.req_text
                    ),
                    token.text,
                ));
            }
        };
        check_value(key, value)?;
        Ok(value.to_owned())
    }

    /// The parenthesised list after `in`/`notin`. Items are comma-separated and each may be
    /// empty (`(a,)` is {"", "a"}), matching Go.
    fn value_list(&mut self, key: &str, op: Token) -> Result<BTreeSet<String>, SelectorError> {
        let ctx = self.req_text;
        let kw = op.text;
        let open = self.next();
        if open.kind != Tok::Open {
            let (found, offending) = match open.kind {
                Tok::End => ("nothing".to_owned(), kw),
                _ => (format!("\"{}\"", open.text), open.text),
            };
            return Err(SelectorError::new(
                format!(
                    "\"{kw}\" needs a parenthesised list of values, e.g. env {kw} (a,b), but found \
                     {found} after it in \"{ctx}\""
                ),
                offending,
            ));
        }

        let mut values = BTreeSet::new();
        let mut item: Option<&str> = None;
        let mut saw_comma = false;
        loop {
            let token = self.next();
            match token.kind {
                Tok::Word => {
                    if let Some(previous) = item {
                        return Err(SelectorError::new(
                            format!(
                                "expected \",\" or \")\" after \"{previous}\" but found \"{}\" in \
                                 \"{ctx}\": separate values with \",\" (values cannot contain \
                                 spaces)",
                                token.text
                            ),
                            token.text,
                        ));
                    }
                    item = Some(token.text);
                }
                Tok::Comma => {
                    values.insert(item.take().unwrap_or(""));
                    saw_comma = true;
                }
                Tok::Close => {
                    if item.is_none() && !saw_comma {
                        return Err(SelectorError::new(
                            format!(
                                "empty value list \"()\" after \"{kw}\" in \"{ctx}\": give at \
                                 least one value, e.g. env {kw} (a,b)"
                            ),
                            "()",
                        ));
                    }
                    values.insert(item.unwrap_or(""));
                    break;
                }
                Tok::End => {
                    return Err(SelectorError::new(
                        format!(
                            "the \"(\" in \"{ctx}\" is never closed: add \")\" after the last value"
                        ),
                        "(",
                    ));
                }
                _ => {
                    return Err(SelectorError::new(
                        format!(
                            "unexpected \"{}\" in the value list of \"{ctx}\": values are separated \
                             by \",\" and the list ends with \")\"",
                            token.text
                        ),
                        token.text,
                    ));
                }
            }
        }
        for value in &values {
            check_value(key, value)?;
        }
        Ok(values.into_iter().map(str::to_owned).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(key: &str, value: &str) -> Requirement {
        Requirement::Equals {
            key: key.into(),
            value: value.into(),
        }
    }
    fn ne(key: &str, value: &str) -> Requirement {
        Requirement::NotEquals {
            key: key.into(),
            value: value.into(),
        }
    }
    fn set(values: &[&str]) -> BTreeSet<String> {
        values.iter().map(|v| v.to_string()).collect()
    }
    fn is_in(key: &str, values: &[&str]) -> Requirement {
        Requirement::In {
            key: key.into(),
            values: set(values),
        }
    }
    fn not_in(key: &str, values: &[&str]) -> Requirement {
        Requirement::NotIn {
            key: key.into(),
            values: set(values),
        }
    }
    fn exists(key: &str) -> Requirement {
        Requirement::Exists { key: key.into() }
    }
    fn absent(key: &str) -> Requirement {
        Requirement::DoesNotExist { key: key.into() }
    }
    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }
    fn parse(input: &str) -> Selector {
        input
            .parse()
            .unwrap_or_else(|e| panic!("{input:?} should parse: {e}"))
    }
    fn expr(key: &str, operator: &str, values: Option<&[&str]>) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: operator.into(),
            values: values.map(|vs| vs.iter().map(|v| v.to_string()).collect()),
        }
    }

    fn valid_cases() -> Vec<(String, Vec<Requirement>, String)> {
        let name63 = "n".repeat(63);
        let value63 = "v".repeat(63);
        let prefix253 = format!("{}.com", "a".repeat(249));
        let cases: Vec<(&str, Vec<Requirement>, &str)> = vec![
            ("", vec![], ""),
            (" \t\n ", vec![], ""),
            ("app=db", vec![eq("app", "db")], "app=db"),
            ("app==db", vec![eq("app", "db")], "app=db"),
            (" app = db ", vec![eq("app", "db")], "app=db"),
            ("\tapp\r\n==\ndb\t", vec![eq("app", "db")], "app=db"),
            ("app!=db", vec![ne("app", "db")], "app!=db"),
            ("app != db", vec![ne("app", "db")], "app!=db"),
            // Go reads a missing value as the empty value.
            ("app=", vec![eq("app", "")], "app="),
            ("app==,x", vec![eq("app", ""), exists("x")], "app=,x"),
            ("app!=", vec![ne("app", "")], "app!="),
            ("app", vec![exists("app")], "app"),
            ("!app", vec![absent("app")], "!app"),
            ("! app", vec![absent("app")], "!app"),
            (
                "env in (a,b)",
                vec![is_in("env", &["a", "b"])],
                "env in (a,b)",
            ),
            (
                "env in ( a , b )",
                vec![is_in("env", &["a", "b"])],
                "env in (a,b)",
            ),
            (
                "env in(b,a,b)",
                vec![is_in("env", &["a", "b"])],
                "env in (a,b)",
            ),
            (
                "env notin (a,b)",
                vec![not_in("env", &["a", "b"])],
                "env notin (a,b)",
            ),
            ("env notin(a)", vec![not_in("env", &["a"])], "env notin (a)"),
            ("env in (a)", vec![is_in("env", &["a"])], "env in (a)"),
            // Empty items inside the list are empty values, as in Go.
            ("env in (a,)", vec![is_in("env", &["", "a"])], "env in (,a)"),
            ("env in (,a)", vec![is_in("env", &["", "a"])], "env in (,a)"),
            (
                "env in (a,,b)",
                vec![is_in("env", &["", "a", "b"])],
                "env in (,a,b)",
            ),
            ("env in (,)", vec![is_in("env", &[""])], "env in (,)"),
            (
                "env notin (,,)",
                vec![not_in("env", &[""])],
                "env notin (,)",
            ),
            (
                "app=db,tier!=cache",
                vec![eq("app", "db"), ne("tier", "cache")],
                "app=db,tier!=cache",
            ),
            (
                "tier!=cache , app=db",
                vec![eq("app", "db"), ne("tier", "cache")],
                "app=db,tier!=cache",
            ),
            ("app=db,app==db", vec![eq("app", "db")], "app=db"),
            (
                "app=web,app=db",
                vec![eq("app", "db"), eq("app", "web")],
                "app=db,app=web",
            ),
            (
                "env in (a,b),!legacy",
                vec![is_in("env", &["a", "b"]), absent("legacy")],
                "env in (a,b),!legacy",
            ),
            (
                "!legacy,env in (b,a)",
                vec![is_in("env", &["a", "b"]), absent("legacy")],
                "env in (a,b),!legacy",
            ),
            (
                "a,b,!c",
                vec![exists("a"), exists("b"), absent("c")],
                "a,b,!c",
            ),
            (
                "x notin (3),x,x in (1,2),x!=2,x=1",
                vec![
                    eq("x", "1"),
                    ne("x", "2"),
                    is_in("x", &["1", "2"]),
                    not_in("x", &["3"]),
                    exists("x"),
                ],
                "x=1,x!=2,x in (1,2),x notin (3),x",
            ),
            ("a=b,!a", vec![eq("a", "b"), absent("a")], "a=b,!a"),
            (
                "example.com/team=payments",
                vec![eq("example.com/team", "payments")],
                "example.com/team=payments",
            ),
            (
                "app.kubernetes.io/name in (api,web)",
                vec![is_in("app.kubernetes.io/name", &["api", "web"])],
                "app.kubernetes.io/name in (api,web)",
            ),
            ("!k8s.io/x-1", vec![absent("k8s.io/x-1")], "!k8s.io/x-1"),
            (
                "App_1.x-Y=Db-1.x_Y",
                vec![eq("App_1.x-Y", "Db-1.x_Y")],
                "App_1.x-Y=Db-1.x_Y",
            ),
            ("9=0", vec![eq("9", "0")], "9=0"),
            // `in` and `notin` are keywords only in operator position.
            ("in=in", vec![eq("in", "in")], "in=in"),
            ("in", vec![exists("in")], "in"),
            ("!notin", vec![absent("notin")], "!notin"),
            (
                "notin notin (in,notin)",
                vec![not_in("notin", &["in", "notin"])],
                "notin notin (in,notin)",
            ),
            ("app in (in)", vec![is_in("app", &["in"])], "app in (in)"),
        ];
        let mut cases: Vec<(String, Vec<Requirement>, String)> = cases
            .into_iter()
            .map(|(i, r, d)| (i.to_owned(), r, d.to_owned()))
            .collect();
        cases.push((
            format!("{name63}={value63}"),
            vec![eq(&name63, &value63)],
            format!("{name63}={value63}"),
        ));
        let long_key = format!("{prefix253}/{name63}");
        cases.push((long_key.clone(), vec![exists(&long_key)], long_key.clone()));
        cases
    }

    #[test]
    fn valid_selectors_parse_to_expected_requirements_and_canonical_text() {
        let cases = valid_cases();
        assert!(cases.len() >= 25);
        for (input, requirements, display) in cases {
            let selector = parse(&input);
            assert_eq!(
                selector.requirements(),
                requirements.as_slice(),
                "requirements of {input:?}"
            );
            assert_eq!(selector.to_string(), display, "display of {input:?}");
            assert_eq!(
                selector.is_empty(),
                requirements.is_empty(),
                "is_empty of {input:?}"
            );
        }
    }

    #[test]
    fn canonical_text_parses_back_to_the_same_selector() {
        for (input, _, display) in valid_cases() {
            let selector = parse(&input);
            let reparsed = parse(&display);
            assert_eq!(reparsed, selector, "{input:?} -> {display:?}");
            assert_eq!(
                reparsed.to_string(),
                display,
                "display must be a fixed point for {input:?}"
            );
        }
    }

    #[test]
    fn equal_selectors_compare_and_hash_equal_regardless_of_spelling() {
        use std::collections::HashSet;
        let spellings = [
            "b!=2,a in (x,y),!c",
            " !c , a in (y,x,y) , b != 2",
            "a in(x,y),b!=2,!c,!c",
        ];
        let unique: HashSet<Selector> = spellings.iter().map(|s| parse(s)).collect();
        assert_eq!(unique.len(), 1);
        assert_eq!(Selector::default(), parse(""));
    }

    /// (input, offending token, fragment the message must contain)
    fn invalid_cases() -> Vec<(String, String, String)> {
        let cases: Vec<(&str, &str, &str)> = vec![
            ("app===", "=", "expected a value after \"==\""),
            ("app=!x", "!", "expected a value after \"=\""),
            (
                "tier!=(a)",
                "(",
                "expected a value after \"!=\" but found \"(\" in \"tier!=(a)\"",
            ),
            ("=db", "=", "missing label key before \"=\" in \"=db\""),
            ("!=db", "!=", "missing label key"),
            ("app=db,", ",", "trailing \",\" in \"app=db,\""),
            ("app in (a),", ",", "trailing \",\""),
            (",", ",", "starts with \",\""),
            (",app", ",", "starts with \",\""),
            ("a,,b", ",", "two \",\" in a row in \"a,,b\""),
            (
                "app in",
                "in",
                "\"in\" needs a parenthesised list of values, e.g. env in (a,b)",
            ),
            (
                "app notin",
                "notin",
                "\"notin\" needs a parenthesised list of values",
            ),
            ("app in a,b)", "a", "found \"a\" after it in \"app in a\""),
            ("app in (a", "(", "never closed"),
            ("app in (a,b,", "(", "\"app in (a,b,\""),
            ("app in ()", "()", "empty value list"),
            ("app notin ( )", "()", "empty value list"),
            ("app in (a b)", "b", "values cannot contain spaces"),
            ("app in (a,=)", "=", "value list of \"app in (a,=)\""),
            ("app in (a))", ")", "after \"app in (a)\""),
            ("app in (a)b", "b", "after \"app in (a)\""),
            ("tier!", "!", "\"!\" is not an operator in \"tier!\""),
            ("tier!x", "!", "\"!tier\""),
            ("!", "!", "expected a label key after \"!\" in \"!\""),
            ("!,a", "!", "expected a label key after \"!\""),
            ("!!app", "!", "found \"!\" in \"!!app\""),
            ("!(a)", "(", "expected a label key"),
            (
                "!app=x",
                "=",
                "\"!app\" only selects where the label app is absent",
            ),
            ("!app in (a)", "in", "takes no operator or value"),
            (
                "app=x y",
                "y",
                "unexpected \"y\" after \"app=x\" in \"app=x y\"",
            ),
            ("app=db)", ")", "expected \",\" or the end of the selector"),
            (
                "app db",
                "db",
                "expected an operator (=, ==, !=, in or notin) after the label key \"app\"",
            ),
            ("app (a)", "(", "expected an operator"),
            ("app IN (a)", "IN", "operators are lowercase, use \"in\""),
            ("app NotIn (a)", "NotIn", "use \"notin\""),
            ("app>1", ">", "not supported"),
            ("app < 1", "<", "not supported"),
            ("(a)", "(", "where a label key was expected"),
            (
                "Bad_=x",
                "Bad_",
                "invalid label key \"Bad_\": must begin and end with an alphanumeric",
            ),
            ("-app", "-app", "invalid label key"),
            ("a.b@c=x", "a.b@c", "invalid label key"),
            (
                "example.com/=x",
                "example.com/",
                "the name \"\" after \"/\" must not be empty",
            ),
            ("/app=x", "/app", "prefix before \"/\" must not be empty"),
            (
                "Example.com/app=x",
                "Example.com/app",
                "must be a lowercase DNS subdomain",
            ),
            ("ex_ample.com/app", "ex_ample.com/app", "DNS subdomain"),
            ("example..com/app", "example..com/app", "DNS subdomain"),
            ("a/b/c=x", "a/b/c", "at most one \"/\""),
            (
                "app=x@y",
                "x@y",
                "invalid label value \"x@y\" for key \"app\"",
            ),
            ("app=-db", "-db", "begin and end with an alphanumeric"),
            ("app!=db.", "db.", "invalid label value"),
            (
                "env in (a,b_)",
                "b_",
                "invalid label value \"b_\" for key \"env\"",
            ),
            ("app=é", "é", "invalid label value"),
        ];
        let mut cases: Vec<(String, String, String)> = cases
            .into_iter()
            .map(|(i, o, m)| (i.to_owned(), o.to_owned(), m.to_owned()))
            .collect();
        let name64 = "k".repeat(64);
        cases.push((
            format!("{name64}=x"),
            name64.clone(),
            "must be 63 characters or less (it has 64)".into(),
        ));
        let prefixed = format!("example.com/{name64}");
        cases.push((prefixed.clone(), prefixed, "63 characters or less".into()));
        let prefix254 = format!("{}/app", "a".repeat(254));
        cases.push((
            prefix254.clone(),
            prefix254,
            "253 characters or less (it has 254)".into(),
        ));
        let value64 = "v".repeat(64);
        cases.push((
            format!("app={value64}"),
            value64,
            "(it has 64 characters)".into(),
        ));
        cases
    }

    #[test]
    fn invalid_selectors_are_rejected_naming_the_offending_token() {
        let cases = invalid_cases();
        assert!(cases.len() >= 20);
        for (input, offending, fragment) in cases {
            let err = input
                .parse::<Selector>()
                .expect_err(&format!("{input:?} should be rejected"));
            assert_eq!(
                err.offending(),
                offending,
                "offending part for {input:?}: {err}"
            );
            let message = err.to_string();
            assert_eq!(message, err.message());
            assert!(
                message.contains(&format!("\"{offending}\"")),
                "message for {input:?} should quote {offending:?}: {message}"
            );
            assert!(
                message.contains(&fragment),
                "message for {input:?} should contain {fragment:?}: {message}"
            );
        }
    }

    #[test]
    fn error_messages_read_well() {
        let err = |input: &str| input.parse::<Selector>().unwrap_err().to_string();
        assert_eq!(
            err("app in a"),
            "\"in\" needs a parenthesised list of values, e.g. env in (a,b), but found \"a\" after it in \"app in a\""
        );
        assert_eq!(
            err("app===x"),
            "expected a value after \"==\" but found \"=\" in \"app===x\""
        );
        assert_eq!(
            err("app=db,tier!"),
            "\"!\" is not an operator in \"tier!\": use \"tier!=VALUE\" to exclude a value, or \"!tier\" to select only where the label is absent"
        );
        assert_eq!(
            err("app=x@y"),
            "invalid label value \"x@y\" for key \"app\": must be 63 characters or less, begin and end with an alphanumeric character, and contain only alphanumerics, '-', '_' or '.'"
        );
        let ls = LabelSelector {
            match_labels: Some(labels(&[("app", "x y")])),
            match_expressions: None,
        };
        assert_eq!(
            Selector::from_label_selector(&ls).unwrap_err().to_string(),
            "invalid label value \"x y\" for key \"app\": must be 63 characters or less, begin and end with an alphanumeric character, and contain only alphanumerics, '-', '_' or '.'"
        );
        let ls = LabelSelector {
            match_labels: Some(labels(&[("Bad Key", "x")])),
            match_expressions: None,
        };
        let e = Selector::from_label_selector(&ls).unwrap_err();
        assert!(
            e.to_string().starts_with("invalid label key \"Bad Key\": "),
            "{e}"
        );
        assert_eq!(e.offending(), "Bad Key");
        // The error is a std error so callers can wrap it with anyhow context.
        let wrapped = anyhow::Error::new(e).context("--to 'Bad Key=x'");
        assert!(format!("{wrapped:#}").contains("Bad Key"));
    }

    #[test]
    fn matches_follows_kubernetes_semantics() {
        let db = labels(&[("app", "db"), ("tier", "backend")]);
        let cache = labels(&[("app", "db"), ("tier", "cache")]);
        let bare = labels(&[("app", "db")]);
        let empty_app = labels(&[("app", "")]);
        let none = labels(&[]);
        let cases: Vec<(&str, &BTreeMap<String, String>, bool)> = vec![
            ("", &none, true),
            ("", &db, true),
            ("app=db", &db, true),
            ("app=db", &none, false),
            ("app=web", &db, false),
            ("app==db,tier=backend", &db, true),
            ("app=db,tier=backend", &cache, false),
            ("tier!=cache", &db, true),
            ("tier!=cache", &cache, false),
            // != and notin also select objects that lack the key altogether.
            ("tier!=cache", &bare, true),
            ("tier!=cache", &none, true),
            ("tier notin (cache,web)", &bare, true),
            ("tier notin (cache,web)", &db, true),
            ("tier notin (cache,web)", &cache, false),
            ("tier in (cache,web)", &cache, true),
            ("tier in (cache,web)", &db, false),
            ("tier in (cache,web)", &bare, false),
            ("tier", &db, true),
            ("tier", &bare, false),
            ("!tier", &bare, true),
            ("!tier", &db, false),
            // An empty value is still a value: present-but-empty differs from absent.
            ("app=", &empty_app, true),
            ("app=", &none, false),
            ("app", &empty_app, true),
            ("app!=", &empty_app, false),
            ("app!=", &none, true),
            ("app in (,x)", &empty_app, true),
            ("app notin (,)", &empty_app, false),
            ("app=db,app=web", &db, false),
            ("app=db,!app", &db, false),
            ("app=db,tier!=cache,!legacy", &db, true),
            ("app=db,tier!=cache,!legacy", &cache, false),
        ];
        for (input, labels, expected) in cases {
            assert_eq!(
                parse(input).matches(labels),
                expected,
                "{input:?} against {labels:?}"
            );
        }
    }

    #[test]
    fn to_label_selector_splits_equalities_from_expressions() {
        let ls = parse("app=db,tier!=cache").to_label_selector();
        assert_eq!(ls.match_labels, Some(labels(&[("app", "db")])));
        assert_eq!(
            ls.match_expressions,
            Some(vec![expr("tier", "NotIn", Some(&["cache"]))])
        );

        let ls = parse("env in (a,b),!legacy").to_label_selector();
        assert_eq!(ls.match_labels, None);
        assert_eq!(
            ls.match_expressions,
            Some(vec![
                expr("env", "In", Some(&["a", "b"])),
                expr("legacy", "DoesNotExist", None)
            ])
        );

        let ls = parse("").to_label_selector();
        assert_eq!((ls.match_labels, ls.match_expressions), (None, None));

        let ls = parse("a,b notin (y,x),c=1").to_label_selector();
        assert_eq!(ls.match_labels, Some(labels(&[("c", "1")])));
        assert_eq!(
            ls.match_expressions,
            Some(vec![
                expr("a", "Exists", None),
                expr("b", "NotIn", Some(&["x", "y"]))
            ])
        );
    }

    #[test]
    fn to_label_selector_keeps_conflicting_equalities_unsatisfiable() {
        let selector = parse("app=web,app=db");
        let ls = selector.to_label_selector();
        assert_eq!(ls.match_labels, Some(labels(&[("app", "db")])));
        assert_eq!(
            ls.match_expressions,
            Some(vec![expr("app", "In", Some(&["web"]))])
        );
        let back = Selector::from_label_selector(&ls).unwrap();
        for candidate in [labels(&[("app", "db")]), labels(&[("app", "web")])] {
            assert!(!selector.matches(&candidate));
            assert!(!back.matches(&candidate));
        }
    }

    #[test]
    fn label_selector_round_trip_is_exact_without_inequalities() {
        for input in [
            "",
            "app=db",
            "app=db,tier=web",
            "env in (a,b),!legacy",
            "env in (a)",
            "app=db,env notin (x,y),k8s.io/x,!legacy",
            "x in (,a)",
        ] {
            let selector = parse(input);
            let back = Selector::from_label_selector(&selector.to_label_selector()).unwrap();
            assert_eq!(back, selector, "{input:?}");
        }
    }

    #[test]
    fn label_selector_round_trip_preserves_meaning_and_api_form() {
        for (input, _, _) in valid_cases() {
            let selector = parse(&input);
            let ls = selector.to_label_selector();
            let back = Selector::from_label_selector(&ls).unwrap();
            assert_eq!(
                back.to_label_selector(),
                ls,
                "API form of {input:?} must be a fixed point"
            );
        }
        // `!=` comes back as `notin` with one value, which must select exactly the same objects.
        let selector = parse("app=db,tier!=cache");
        let back = Selector::from_label_selector(&selector.to_label_selector()).unwrap();
        assert_eq!(back.to_string(), "app=db,tier notin (cache)");
    }

    /// Every pair of requirements over a tiny alphabet, checked against every labelling over that
    /// alphabet: conversion to the API form must never change which objects are selected.
    #[test]
    fn label_selector_conversion_preserves_matches_exhaustively() {
        let keys = ["a", "b"];
        let values = ["", "x", "y"];
        let mut requirements = Vec::new();
        for key in keys {
            requirements.push(exists(key));
            requirements.push(absent(key));
            for v in values {
                requirements.push(eq(key, v));
                requirements.push(ne(key, v));
            }
            for vs in [&["x"][..], &["x", "y"], &["", "y"]] {
                requirements.push(is_in(key, vs));
                requirements.push(not_in(key, vs));
            }
        }
        let mut labellings = vec![BTreeMap::new()];
        for key in keys {
            labellings = labellings
                .into_iter()
                .flat_map(|base| {
                    let mut out = vec![base.clone()];
                    for v in values {
                        let mut with = base.clone();
                        with.insert(key.to_owned(), v.to_owned());
                        out.push(with);
                    }
                    out
                })
                .collect();
        }
        assert_eq!(labellings.len(), 16);
        for r1 in &requirements {
            for r2 in &requirements {
                let selector = Selector::from_requirements(vec![r1.clone(), r2.clone()]);
                let back = Selector::from_label_selector(&selector.to_label_selector()).unwrap();
                let reparsed = parse(&selector.to_string());
                assert_eq!(reparsed, selector);
                assert_eq!(back.to_label_selector(), selector.to_label_selector());
                for labels in &labellings {
                    let expected = r1.matches(labels) && r2.matches(labels);
                    assert_eq!(
                        selector.matches(labels),
                        expected,
                        "{selector} on {labels:?}"
                    );
                    assert_eq!(
                        back.matches(labels),
                        expected,
                        "{back} (from {selector}) on {labels:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn from_label_selector_validates() {
        let with_exprs = |exprs: Vec<LabelSelectorRequirement>| LabelSelector {
            match_labels: None,
            match_expressions: Some(exprs),
        };
        let cases = [
            (
                with_exprs(vec![expr("app", "Equals", Some(&["a"]))]),
                "Equals",
                "unknown matchExpressions operator \"Equals\"",
            ),
            (
                with_exprs(vec![expr("app", "in", Some(&["a"]))]),
                "in",
                "expected In, NotIn, Exists or DoesNotExist",
            ),
            (
                with_exprs(vec![expr("app", "In", None)]),
                "In",
                "needs at least one value",
            ),
            (
                with_exprs(vec![expr("app", "NotIn", Some(&[]))]),
                "NotIn",
                "needs at least one value",
            ),
            (
                with_exprs(vec![expr("app", "Exists", Some(&["a"]))]),
                "Exists",
                "takes no values",
            ),
            (
                with_exprs(vec![expr("app", "In", Some(&["ok", "-bad"]))]),
                "-bad",
                "invalid label value \"-bad\" for key \"app\"",
            ),
            (
                with_exprs(vec![expr("", "Exists", None)]),
                "",
                "invalid label key \"\": must not be empty",
            ),
            (
                with_exprs(vec![expr("a b", "DoesNotExist", None)]),
                "a b",
                "invalid label key \"a b\"",
            ),
        ];
        for (ls, offending, fragment) in cases {
            let err = Selector::from_label_selector(&ls)
                .expect_err(&format!("{ls:?} should be rejected"));
            assert_eq!(err.offending(), offending, "{err}");
            assert!(
                err.to_string().contains(fragment),
                "{err} should contain {fragment:?}"
            );
        }

        // Empty values are allowed for Exists/DoesNotExist, and a one-value In stays an In.
        let ls = with_exprs(vec![
            expr("a", "Exists", Some(&[])),
            expr("b", "DoesNotExist", None),
            expr("c", "In", Some(&["x"])),
        ]);
        assert_eq!(
            Selector::from_label_selector(&ls).unwrap().requirements(),
            &[exists("a"), absent("b"), is_in("c", &["x"])]
        );
        let empty = LabelSelector {
            match_labels: Some(BTreeMap::new()),
            match_expressions: Some(vec![]),
        };
        assert!(Selector::from_label_selector(&empty).unwrap().is_empty());
    }

    #[test]
    fn from_labels_requires_every_label() {
        let service_selector = labels(&[("tier", "db"), ("app", "shop")]);
        let selector = Selector::from_labels(&service_selector);
        assert_eq!(
            selector.requirements(),
            &[eq("app", "shop"), eq("tier", "db")]
        );
        assert_eq!(selector.to_string(), "app=shop,tier=db");
        assert_eq!(selector, parse("tier=db,app=shop"));
        assert!(selector.matches(&labels(&[("app", "shop"), ("tier", "db"), ("x", "y")])));
        assert!(!selector.matches(&labels(&[("app", "shop")])));
        assert!(Selector::from_labels(&BTreeMap::new()).is_empty());
    }

    #[test]
    fn label_key_validation() {
        let name63 = "a".repeat(63);
        let prefix253 = format!("{}.io", "p".repeat(250));
        for ok in [
            "a",
            "A",
            "1",
            "app",
            "a.b-c_d",
            "Z9",
            name63.as_str(),
            "example.com/a",
            "k8s.io/App_Name",
            "a-1.b-2/c",
            &format!("{prefix253}/x"),
        ] {
            assert_eq!(validate_label_key(ok), Ok(()), "{ok:?}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "_a",
            "a.",
            "a b",
            "a=b",
            "é",
            &"a".repeat(64),
            "/a",
            "a/",
            "a/b/c",
            "A.com/x",
            "-a.com/x",
            "a-.com/x",
            "a_b.com/x",
            ".a.com/x",
            "a.com./x",
            &format!("{}/x", "p".repeat(254)),
            "example.com/-x",
        ] {
            assert!(
                validate_label_key(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn label_value_validation() {
        for ok in ["", "a", "A-b_c.d", "0", &"v".repeat(63)] {
            assert_eq!(validate_label_value(ok), Ok(()), "{ok:?}");
        }
        for bad in ["-a", "a-", ".", "a b", "a/b", "a=b", "é", &"v".repeat(64)] {
            let err = validate_label_value(bad).expect_err(bad);
            assert!(err.starts_with(VALUE_RULE), "{err}");
        }
    }
}
