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
//! ```
//!
//! `JIT_AUDIT_DIR` in the environment overrides `audit.dir`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use regex::Regex;
use serde::Deserialize;

use crate::exit::JitError;

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
    /// The file the settings came from, if any.
    pub file: Option<PathBuf>,
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
            file: None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    max_ttl: Option<String>,
    max_lifetime: Option<String>,
    default_ttl: Option<String>,
    reason: Option<ReasonFile>,
    opportunistic_reap: Option<bool>,
    audit: Option<AuditFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditFile {
    dir: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonFile {
    required: Option<bool>,
    pattern: Option<String>,
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
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading configuration {}", path.display()))?;
        Config::parse(&text, &path)
    }

    fn parse(text: &str, path: &Path) -> Result<Config> {
        let invalid = |message: String| {
            JitError::usage(format!("configuration {}: {message}", path.display()))
        };
        let file: ConfigFile = if text.trim().is_empty() {
            ConfigFile::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| invalid(e.to_string()))?
        };
        let mut config = Config {
            file: Some(path.to_path_buf()),
            ..Config::default()
        };
        if let Some(max) = file.max_ttl {
            config.max_ttl =
                positive_duration(&max).map_err(|e| invalid(format!("max_ttl: {e}")))?;
        }
        if let Some(lifetime) = file.max_lifetime {
            config.max_lifetime =
                positive_duration(&lifetime).map_err(|e| invalid(format!("max_lifetime: {e}")))?;
        }
        if config.max_ttl > config.max_lifetime {
            return Err(invalid(format!(
                "max_ttl {} is longer than max_lifetime {}",
                humantime::format_duration(config.max_ttl),
                humantime::format_duration(config.max_lifetime)
            ))
            .into());
        }
        if let Some(default) = file.default_ttl {
            let ttl =
                positive_duration(&default).map_err(|e| invalid(format!("default_ttl: {e}")))?;
            if ttl > config.max_ttl {
                return Err(invalid(format!(
                    "default_ttl {default} is longer than max_ttl {}",
                    humantime::format_duration(config.max_ttl)
                ))
                .into());
            }
            config.default_ttl = Some(ttl);
        }
        if let Some(on) = file.opportunistic_reap {
            config.opportunistic_reap = on;
        }
        if let Some(reason) = file.reason {
            config.reason_required = reason.required.unwrap_or(true);
            if let Some(pattern) = reason.pattern {
                config.reason_pattern = Some(
                    Regex::new(&pattern).map_err(|e| invalid(format!("reason.pattern: {e}")))?,
                );
            }
        }
        if let Some(dir) = file.audit.and_then(|audit| audit.dir) {
            if !dir.is_absolute() {
                return Err(invalid(format!(
                    "audit.dir {:?} must be an absolute path (cron runs jit from another directory)",
                    dir.display()
                ))
                .into());
            }
            config.audit_dir = Some(dir);
        }
        Ok(config)
    }

    /// Where the audit log lives: `$JIT_AUDIT_DIR`, else `audit.dir`, else
    /// `$XDG_STATE_HOME/jit`, else `~/.local/state/jit`.
    pub fn audit_dir(&self) -> Result<PathBuf> {
        if let Some(dir) = std::env::var_os("JIT_AUDIT_DIR").filter(|v| !v.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
        if let Some(dir) = &self.audit_dir {
            return Ok(dir.clone());
        }
        xdg_dir("XDG_STATE_HOME", ".local/state")
            .map(|base| base.join("jit"))
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
        Ok(_) => Err(format!("{text:?} must be at least 1s")),
        Err(e) => Err(format!("{text:?} is not a duration like 30m or 8h ({e})")),
    }
}

/// `$XDG_CONFIG_HOME/jit/config.yaml`, else `~/.config/jit/config.yaml`.
fn default_path() -> Option<PathBuf> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("/etc/jit.yaml"))
    }

    #[test]
    fn defaults_when_empty() {
        let config = parse("").unwrap();
        assert_eq!(config.max_ttl, Duration::from_secs(8 * 3600));
        assert!(config.reason_required);
        assert!(config.default_ttl.is_none());
    }

    #[test]
    fn every_key() {
        let config = parse(
            "max_ttl: 2h\nmax_lifetime: 12h\ndefault_ttl: 15m\nreason:\n  required: false\n  pattern: '^INC-[0-9]+'\n",
        )
        .unwrap();
        assert_eq!(config.max_ttl, Duration::from_secs(7200));
        assert_eq!(config.default_ttl, Some(Duration::from_secs(900)));
        assert_eq!(config.max_lifetime, Duration::from_secs(12 * 3600));
        assert!(!config.reason_required);
        assert!(config.reason_pattern.unwrap().is_match("INC-12"));
        let config = parse("audit:\n  dir: /var/lib/jit\n").unwrap();
        assert_eq!(config.audit_dir, Some(PathBuf::from("/var/lib/jit")));
    }

    #[test]
    fn errors_name_the_file_and_key() {
        let err = format!("{:#}", parse("max_ttl: forever\n").unwrap_err());
        assert!(
            err.contains("/etc/jit.yaml") && err.contains("max_ttl"),
            "{err}"
        );
        let err = format!("{:#}", parse("max_tll: 2h\n").unwrap_err());
        assert!(
            err.contains("/etc/jit.yaml") && err.contains("max_tll"),
            "{err}"
        );
        let err = format!("{:#}", parse("reason:\n  pattern: '('\n").unwrap_err());
        assert!(err.contains("reason.pattern"), "{err}");
        let err = format!("{:#}", parse("max_ttl: 1h\ndefault_ttl: 2h\n").unwrap_err());
        assert!(err.contains("longer than max_ttl"), "{err}");
        let err = format!("{:#}", parse("max_ttl: 30h\n").unwrap_err());
        assert!(err.contains("longer than max_lifetime"), "{err}");
        let err = format!("{:#}", parse("audit:\n  dir: logs\n").unwrap_err());
        assert!(
            err.contains("audit.dir") && err.contains("absolute"),
            "{err}"
        );
        let err = format!("{:#}", parse("audit:\n  key: x\n").unwrap_err());
        assert!(err.contains("key"), "{err}");
    }
}
