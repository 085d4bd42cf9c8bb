//! Where the audit log's signing keys (Ed25519 seeds) live, and how they are created and loaded.
//!
//! A store is chosen on purpose at `jit log init` and recorded; [`load`] only ever looks in the
//! store it is given. There is no fallback from one store to another: a key that silently moved
//! from the OS keyring to a file would be a key nobody chose to trust.
//!
//! Two invariants hold when no key can be had, and shape the errors here:
//! - expired access is still removed: [`load`] answers within [`LOAD_TIMEOUT`] whatever the
//!   store does (D-Bus calls can block for good on a wedged bus or an unanswered prompt), so a
//!   reaper never waits on its key before revoking;
//! - no event passes as signed when it was not: [`load`] returns `Ok(None)` (no key there) or
//!   `Err` (the store is unavailable or broken, with a message naming the store and the fix),
//!   never a made-up or half-read key, and callers then write unsigned entries.
//!
//! In the OS keyring and in keyutils a key is the entry with service [`SERVICE`] (`jit-audit`)
//! and user `<role>:<name>` (`person:alice`, `reaper:prod`); its secret is the seed as base64
//! text (text rather than bytes because KWallet's Secret Service stores only UTF-8). In the
//! Secret Service that is an item with attributes `service=jit-audit` and
//! `username=<role>:<name>` in the default collection; in keyutils, a `user` key described
//! `jit-audit:<role>:<name>`, linked into the user's persistent keyring. A key file holds `#`
//! comment lines and one line: the seed as base64.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::{RecvTimeoutError, sync_channel};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use keyring_core::{Entry, Error as KeyringError};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{Ed25519Signer, KeyRole};

/// The service name of every jit key in the OS keyring and in keyutils.
pub const SERVICE: &str = "jit-audit";

/// How long [`load`] waits for the OS keyring. Loading happens on every grant and every reaper
/// run; a keyring that has not answered in this long is treated as unavailable (the caller
/// writes unsigned entries) rather than holding up the revocation of expired access.
pub const LOAD_TIMEOUT: Duration = Duration::from_secs(5);

/// How long [`create`] and [`delete`] wait for the OS keyring. They run at a person's request
/// (`jit log init`), where a locked keyring may show an unlock prompt that takes a person a
/// while to answer; still bounded, so a keyring that never answers ends in an error.
pub const INTERACTIVE_TIMEOUT: Duration = Duration::from_secs(60);

/// The longest key name accepted. Names become keyring attributes and keyutils descriptions
/// (at most 4095 bytes); a Kubernetes user name fits easily.
const MAX_NAME_LEN: usize = 256;

/// A key file larger than this is not one jit wrote: refuse it rather than read it whole.
const MAX_KEY_FILE_LEN: u64 = 4096;

/// Where a signing key (an Ed25519 seed) lives. Chosen on purpose at `jit log init`; never a
/// silent fallback from one to another.
///
/// Written and read as `keyring`, `keyutils` or `file:/absolute/path` (also in serde), so a
/// config file says it the way a person typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum KeyStore {
    /// The OS keyring via keyring-core: Secret Service on Linux (GNOME Keyring, KWallet),
    /// Keychain on macOS. For people at a desktop. Calls are bounded by a timeout, because
    /// D-Bus can block.
    Keyring,
    /// The Linux kernel keyutils store (the user's persistent keyring): for cron / systemd
    /// without a desktop session. Keys there live in kernel memory only: a reboot clears them,
    /// and so does the persistent keyring's expiry
    /// (`/proc/sys/kernel/keys/persistent_keyring_expiry`, 3 days by default) when no jit
    /// process of that user has touched it for that long.
    Keyutils,
    /// A 0600 file holding the seed: for cron / CronJobs; refused if its mode allows
    /// group/other access or it is not owned by the current user. The path is absolute, since
    /// cron and systemd run jit from another directory than the one it was set up in.
    File(PathBuf),
}

impl FromStr for KeyStore {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "keyring" => Ok(Self::Keyring),
            "keyutils" => Ok(Self::Keyutils),
            _ => {
                let Some(path) = s.strip_prefix("file:") else {
                    bail!(
                        "unknown key store {s:?}: expected `keyring` (the OS keyring), \
                         `keyutils` (the Linux kernel keyring) or `file:/path/to/key`"
                    );
                };
                if path.is_empty() {
                    bail!("key store `file:` needs a path, as in `file:/etc/jit/reaper.key`");
                }
                // `file:~/x` is not expanded by the shell (the `~` is not at a word's start),
                // so do it here: it is what the person meant.
                let path = match path.strip_prefix("~/") {
                    Some(rest) => {
                        let home = std::env::var_os("HOME")
                            .filter(|home| !home.is_empty())
                            .ok_or_else(|| anyhow!("key store {s:?}: HOME is not set"))?;
                        PathBuf::from(home).join(rest)
                    }
                    None => PathBuf::from(path),
                };
                if !path.is_absolute() {
                    bail!(
                        "key store {s:?}: give an absolute path (cron and systemd run jit from \
                         another directory), as in `file:/etc/jit/reaper.key`"
                    );
                }
                Ok(Self::File(path))
            }
        }
    }
}

impl fmt::Display for KeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Keyring => f.write_str("keyring"),
            Self::Keyutils => f.write_str("keyutils"),
            Self::File(path) => write!(f, "file:{}", path.display()),
        }
    }
}

impl TryFrom<String> for KeyStore {
    type Error = anyhow::Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<KeyStore> for String {
    fn from(store: KeyStore) -> Self {
        store.to_string()
    }
}

/// Generates a new key for `role`/`name` and stores it in `store`.
///
/// Refuses to overwrite a key that is already there (the old one may be the only one that
/// verifies earlier entries); the error says how to remove it. Blocks for at most
/// [`INTERACTIVE_TIMEOUT`] on the OS keyring.
pub fn create(store: &KeyStore, role: KeyRole, name: &str) -> Result<Ed25519Signer> {
    check_name(name)?;
    let signer = Ed25519Signer::generate(name.to_string(), role);
    let seed = Zeroizing::new(signer.seed());
    let secret = encode_seed(&seed);
    match store {
        KeyStore::Keyring => {
            let name_owned = name.to_string();
            with_timeout(store, INTERACTIVE_TIMEOUT, move || {
                let entry = os_keyring_entry(role, &name_owned)?;
                create_in_entry(&entry, &KeyStore::Keyring, role, &name_owned, &secret)
            })?;
        }
        KeyStore::Keyutils => {
            let entry = keyutils::entry(role, name, true)?;
            create_in_entry(&entry, store, role, name, &secret)?;
        }
        KeyStore::File(path) => file::create(path, role, name, &secret)?,
    }
    Ok(signer)
}

/// Loads the key for `role`/`name` from `store`.
///
/// `Ok(None)`: no key is stored there. `Err`: the store is unavailable or broken (no Secret
/// Service on the bus, a locked keyring, keyctl denied, a key file others can read, a stored
/// value that is not a seed); the message names the store and the fix. Blocks for at most
/// [`LOAD_TIMEOUT`] on the OS keyring, so it may be called from the reaper's path.
pub fn load(store: &KeyStore, role: KeyRole, name: &str) -> Result<Option<Ed25519Signer>> {
    check_name(name)?;
    let seed = match store {
        KeyStore::Keyring => {
            let name_owned = name.to_string();
            with_timeout(store, LOAD_TIMEOUT, move || {
                let entry = os_keyring_entry(role, &name_owned)?;
                load_from_entry(&entry, &KeyStore::Keyring, role, &name_owned)
            })?
        }
        KeyStore::Keyutils => {
            let entry = keyutils::entry(role, name, false)?;
            load_from_entry(&entry, store, role, name)?
        }
        KeyStore::File(path) => file::load(path)?,
    };
    Ok(seed.map(|seed| Ed25519Signer::from_seed(name.to_string(), role, *seed)))
}

/// Removes the key for `role`/`name` from `store`. `Ok(false)`: there was none.
///
/// Whatever the log signed with it can then be verified only with its public key, which the
/// log keeps; nothing can be signed with it any more.
pub fn delete(store: &KeyStore, role: KeyRole, name: &str) -> Result<bool> {
    check_name(name)?;
    match store {
        KeyStore::Keyring => {
            let name_owned = name.to_string();
            with_timeout(store, INTERACTIVE_TIMEOUT, move || {
                let entry = os_keyring_entry(role, &name_owned)?;
                delete_entry(&entry, &KeyStore::Keyring, role, &name_owned)
            })
        }
        KeyStore::Keyutils => {
            let entry = keyutils::entry(role, name, false)?;
            delete_entry(&entry, store, role, name)
        }
        KeyStore::File(path) => match std::fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(err) => {
                Err(err).with_context(|| format!("cannot remove key file {}", path.display()))
            }
        },
    }
}

/// The keyring user of a key: `<role>:<name>`. The role comes first and has no `:`, so the
/// pair reads back unambiguously whatever the name holds (Kubernetes user names hold `:`).
pub fn keyring_user(role: KeyRole, name: &str) -> String {
    format!("{}:{name}", role.as_str())
}

fn check_name(name: &str) -> Result<()> {
    if name.is_empty() {
        bail!("a signing key needs a name");
    }
    if name.len() > MAX_NAME_LEN {
        bail!("signing key name is longer than {MAX_NAME_LEN} bytes");
    }
    // The name also names the key on checkpoint signature lines (signed-note format), where
    // whitespace and `+` are not allowed; control characters would break the key file's
    // comment line.
    if name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '+')
    {
        bail!("signing key name {name:?} may not hold whitespace, control characters or `+`");
    }
    Ok(())
}

fn encode_seed(seed: &[u8; 32]) -> Zeroizing<String> {
    // Room for the whole encoding up front, so the String never reallocates and leaves a copy
    // of the seed behind in freed memory.
    let mut text = Zeroizing::new(String::with_capacity(64));
    BASE64.encode_string(seed, &mut text);
    text
}

/// Reads a stored secret back into a seed; `where_` names the store for the error.
fn decode_seed(secret: &[u8], where_: &dyn fmt::Display) -> Result<Zeroizing<[u8; 32]>> {
    let text = secret.trim_ascii();
    // 48 bytes: more than any base64 text that fits the check below can decode to.
    let mut buf = Zeroizing::new([0u8; 48]);
    let decoded = if text.len() <= 64 {
        BASE64.decode_slice(text, buf.as_mut_slice()).ok()
    } else {
        None
    };
    match decoded {
        Some(32) => {
            let mut seed = Zeroizing::new([0u8; 32]);
            seed.copy_from_slice(&buf[..32]);
            Ok(seed)
        }
        _ => bail!(
            "{where_} does not hold a jit signing key (expected a 32-byte Ed25519 seed as \
             base64 text): remove it and run `jit log init` again"
        ),
    }
}

/// Runs `op` on a thread of its own and waits at most `limit` for it.
///
/// The OS keyring is reached over D-Bus, whose calls can block indefinitely (a wedged bus, a
/// keyring daemon that never answers, an unlock prompt nobody sees). A thread that overruns is
/// left behind: it holds nothing jit needs, and ends with the process. A thread of its own also
/// keeps the Secret Service client's private tokio runtime out of the caller's (starting one
/// runtime inside another panics).
fn with_timeout<T: Send + 'static>(
    store: &KeyStore,
    limit: Duration,
    op: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let (tx, rx) = sync_channel(1);
    std::thread::Builder::new()
        .name("jit-keyring".to_string())
        .spawn(move || {
            // The receiver is gone only if we already timed out: nobody wants the answer.
            let _ = tx.send(op());
        })
        .with_context(|| format!("key store {store}: cannot start a thread to reach it"))?;
    match rx.recv_timeout(limit) {
        Ok(result) => result,
        Err(RecvTimeoutError::Timeout) => bail!(
            "key store {store}: {} did not answer within {}s; {}",
            os_keyring::NAME,
            limit.as_secs_f32(),
            os_keyring::HANG_FIX
        ),
        Err(RecvTimeoutError::Disconnected) => {
            bail!(
                "key store {store}: the call to {} failed (it panicked)",
                os_keyring::NAME
            )
        }
    }
}

/// The entry for `role`/`name` in the OS keyring, connecting to it first.
fn os_keyring_entry(role: KeyRole, name: &str) -> Result<Entry> {
    let store = os_keyring::store()
        .map_err(|err| unavailable(&KeyStore::Keyring, &err, os_keyring::UNREACHABLE_FIX))?;
    os_keyring::build(&store, role, name)
        .map_err(|err| describe(&KeyStore::Keyring, role, name, err))
}

/// Stores `secret` in `entry` unless the entry already holds something.
///
/// Checking first is a read then a write, not one atomic step: two `jit log init` racing for
/// the same name could both pass. That costs the first key (the second overwrites it) before
/// anything was signed with it, and the second run's output is the one that stands.
fn create_in_entry(
    entry: &Entry,
    store: &KeyStore,
    role: KeyRole,
    name: &str,
    secret: &str,
) -> Result<()> {
    match entry.get_secret() {
        Ok(existing) => {
            drop(Zeroizing::new(existing));
            bail!(
                "key store {store} already holds a signing key for {} {name:?}; jit does not \
                 overwrite it (entries it signed would no longer match a stored key). To \
                 replace it, remove it first: {}",
                role.as_str(),
                removal_hint(store, role, name)
            )
        }
        Err(KeyringError::NoEntry) => {}
        Err(err) => return Err(describe(store, role, name, err)),
    }
    entry
        .set_secret(secret.as_bytes())
        .map_err(|err| describe(store, role, name, err))
}

fn load_from_entry(
    entry: &Entry,
    store: &KeyStore,
    role: KeyRole,
    name: &str,
) -> Result<Option<Zeroizing<[u8; 32]>>> {
    match entry.get_secret() {
        Ok(secret) => {
            let secret = Zeroizing::new(secret);
            let where_ = format!(
                "the {} entry for {} {name:?} in key store {store}",
                SERVICE,
                role.as_str()
            );
            decode_seed(&secret, &where_)
                .map(Some)
                .map_err(|err| anyhow!("{err} ({})", removal_hint(store, role, name)))
        }
        Err(KeyringError::NoEntry) => Ok(None),
        Err(err) => Err(describe(store, role, name, err)),
    }
}

fn delete_entry(entry: &Entry, store: &KeyStore, role: KeyRole, name: &str) -> Result<bool> {
    match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(KeyringError::NoEntry) => Ok(false),
        Err(err) => Err(describe(store, role, name, err)),
    }
}

/// The error for a store that cannot be reached at all.
fn unavailable(store: &KeyStore, err: &dyn fmt::Display, fix: &str) -> anyhow::Error {
    anyhow!("key store {store} is unavailable: {err}; {fix}")
}

/// A keyring-core error as a message that names the store, the key and the fix.
fn describe(store: &KeyStore, role: KeyRole, name: &str, err: KeyringError) -> anyhow::Error {
    let (locked_fix, failure_fix) = match store {
        KeyStore::Keyutils => (keyutils::DENIED_FIX, keyutils::DENIED_FIX),
        _ => (os_keyring::LOCKED_FIX, os_keyring::UNREACHABLE_FIX),
    };
    let key = format!("{} {name:?}", role.as_str());
    match err {
        KeyringError::NoStorageAccess(err) => {
            anyhow!("key store {store} refused access to the key for {key}: {err}; {locked_fix}")
        }
        KeyringError::PlatformFailure(err) => unavailable(store, &err, failure_fix),
        KeyringError::Ambiguous(items) => anyhow!(
            "key store {store} holds {} entries for {key} where jit expects one: remove them \
             all ({}) and run `jit log init` again",
            items.len(),
            removal_hint(store, role, name)
        ),
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => anyhow!(
            "key store {store} holds a malformed entry for {key}: {err}; remove it ({}) and run \
             `jit log init` again",
            removal_hint(store, role, name)
        ),
        err => anyhow!("key store {store}, key for {key}: {err}"),
    }
}

/// How a person removes a stored key by hand, with the tools of that store.
fn removal_hint(store: &KeyStore, role: KeyRole, name: &str) -> String {
    match store {
        KeyStore::Keyring => os_keyring::removal_hint(&keyring_user(role, name)),
        // `get_persistent` first: the key lives in the persistent keyring, which a person's
        // shell session may not have linked yet, and `purge -s` searches from the session.
        KeyStore::Keyutils => format!(
            "`keyctl get_persistent @s >/dev/null && keyctl purge -s user {}`",
            shell_quote(&keyutils::description(role, name))
        ),
        KeyStore::File(path) => format!("`rm {}`", shell_quote(&path.display().to_string())),
    }
}

/// Quotes `s` for a POSIX shell when it needs it, so a hint can be pasted as it is.
fn shell_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The OS keyring of this platform, and the words to say when it fails.
#[cfg(all(unix, not(target_os = "macos")))]
mod os_keyring {
    use std::collections::HashMap;
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry};

    use super::{KeyRole, SERVICE, keyring_user, shell_quote};

    pub(super) const NAME: &str = "the Secret Service (D-Bus org.freedesktop.secrets)";
    pub(super) const UNREACHABLE_FIX: &str = "jit needs a Secret Service (GNOME Keyring, \
        KWallet) on the D-Bus session bus: run it in a desktop session, or start one (as in \
        `dbus-run-session` with `gnome-keyring-daemon --unlock`); without a desktop choose \
        another key store at `jit log init` (`keyutils` or `file:PATH`)";
    pub(super) const LOCKED_FIX: &str = "unlock the keyring (log in to the desktop session, or \
        `gnome-keyring-daemon --unlock`) and try again";
    pub(super) const HANG_FIX: &str = "the keyring may be locked behind a prompt nobody \
        answered, or the D-Bus session bus is stuck: unlock the keyring and try again, or \
        choose another key store at `jit log init` (`keyutils` or `file:PATH`)";

    pub(super) fn store() -> keyring_core::Result<Arc<CredentialStore>> {
        Ok(zbus_secret_service_keyring_store::Store::new()?)
    }

    pub(super) fn build(
        store: &Arc<CredentialStore>,
        role: KeyRole,
        name: &str,
    ) -> keyring_core::Result<Entry> {
        // The label is what seahorse and KWallet show for the item.
        let label = format!("jit audit signing key ({} {name})", role.as_str());
        let modifiers = HashMap::from([("label", label.as_str())]);
        Entry::new_in_store_with_modifiers(store, SERVICE, &keyring_user(role, name), &modifiers)
    }

    pub(super) fn removal_hint(user: &str) -> String {
        format!(
            "`secret-tool clear service {SERVICE} username {}` (libsecret-tools), or seahorse",
            shell_quote(user)
        )
    }
}

#[cfg(target_os = "macos")]
mod os_keyring {
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry};

    use super::{KeyRole, SERVICE, keyring_user, shell_quote};

    pub(super) const NAME: &str = "the macOS Keychain";
    pub(super) const UNREACHABLE_FIX: &str = "run jit in your login session, or choose another \
        key store at `jit log init` (`file:PATH`)";
    pub(super) const LOCKED_FIX: &str =
        "unlock the login keychain (`security unlock-keychain`) and try again";
    pub(super) const HANG_FIX: &str = "the keychain may be waiting on a prompt nobody answered: \
        unlock it and try again, or choose another key store at `jit log init` (`file:PATH`)";

    pub(super) fn store() -> keyring_core::Result<Arc<CredentialStore>> {
        Ok(apple_native_keyring_store::keychain::Store::new()?)
    }

    pub(super) fn build(
        store: &Arc<CredentialStore>,
        role: KeyRole,
        name: &str,
    ) -> keyring_core::Result<Entry> {
        Entry::new_in_store(store, SERVICE, &keyring_user(role, name))
    }

    pub(super) fn removal_hint(user: &str) -> String {
        format!(
            "`security delete-generic-password -s {SERVICE} -a {}`",
            shell_quote(user)
        )
    }
}

#[cfg(not(unix))]
mod os_keyring {
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry, Error};

    use super::KeyRole;

    pub(super) const NAME: &str = "the OS keyring";
    pub(super) const UNREACHABLE_FIX: &str = "choose `file:PATH` at `jit log init`";
    pub(super) const LOCKED_FIX: &str = UNREACHABLE_FIX;
    pub(super) const HANG_FIX: &str = UNREACHABLE_FIX;

    pub(super) fn store() -> keyring_core::Result<Arc<CredentialStore>> {
        Err(Error::NotSupportedByStore(
            "jit has no OS keyring store for this platform".to_string(),
        ))
    }

    pub(super) fn build(
        _: &Arc<CredentialStore>,
        _: KeyRole,
        _: &str,
    ) -> keyring_core::Result<Entry> {
        unreachable!("store() never succeeds on this platform")
    }

    pub(super) fn removal_hint(_: &str) -> String {
        "your platform's credential manager".to_string()
    }
}

/// The Linux kernel keyutils store.
mod keyutils {
    use anyhow::Result;
    use keyring_core::Entry;

    use super::{KeyRole, SERVICE, keyring_user};

    pub(super) const DENIED_FIX: &str = "the kernel refused keyctl (container runtimes' seccomp \
        profiles often do, and some kernels lack persistent keyrings): choose another key \
        store at `jit log init` (`file:PATH`), or allow keyctl for this process";

    /// The key's description in the kernel: `jit-audit:<role>:<name>`.
    pub(super) fn description(role: KeyRole, name: &str) -> String {
        format!("{SERVICE}:{}", keyring_user(role, name))
    }

    /// The entry for `role`/`name`. With `for_create`, the user's persistent keyring must be
    /// there: a key held only by this session's keyring would vanish when the session ends,
    /// and cron or systemd, in sessions of their own, would never find it.
    #[cfg(target_os = "linux")]
    pub(super) fn entry(role: KeyRole, name: &str, for_create: bool) -> Result<Entry> {
        use std::collections::HashMap;

        use linux_keyutils_keyring_store::{Cred, Store};

        use super::KeyStore;

        let store = KeyStore::Keyutils;
        let kernel = Store::new().map_err(|err| super::unavailable(&store, &err, DENIED_FIX))?;
        let description = description(role, name);
        let modifiers = HashMap::from([("description", description.as_str())]);
        // Building the entry links the user's persistent keyring into this session's keyring
        // (which also restarts its expiry timer), so the search that follows finds keys
        // stored from other sessions.
        let entry = Entry::new_in_store_with_modifiers(
            &(kernel as std::sync::Arc<keyring_core::CredentialStore>),
            SERVICE,
            &keyring_user(role, name),
            &modifiers,
        )
        .map_err(|err| super::describe(&store, role, name, err))?;
        if for_create {
            let cred: &Cred = entry
                .as_any()
                .downcast_ref()
                .expect("a keyutils entry wraps a keyutils credential");
            if cred.persistent.is_none() {
                anyhow::bail!(
                    "key store keyutils is unavailable: the kernel gave no persistent keyring \
                     for this user (keyctl get_persistent failed), and a key in this \
                     session's keyring alone would vanish when the session ends; choose \
                     another key store at `jit log init` (`file:PATH`)"
                );
            }
        }
        Ok(entry)
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn entry(_: KeyRole, _: &str, _: bool) -> Result<Entry> {
        anyhow::bail!(
            "key store keyutils exists only on Linux: choose `keyring` or `file:PATH` at \
             `jit log init`"
        )
    }
}

/// The key file store.
mod file {
    use super::*;

    /// Creates `path` (mode 0600, never replacing what is there) holding the seed.
    pub(super) fn create(path: &Path, role: KeyRole, name: &str, secret: &str) -> Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = match options.open(path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => bail!(
                "key file {} already exists; jit does not overwrite it (it may hold the key \
                 that verifies entries already written). To replace it, remove it first: `rm \
                 {}`",
                path.display(),
                shell_quote(&path.display().to_string())
            ),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => bail!(
                "cannot create key file {}: its directory does not exist",
                path.display()
            ),
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("cannot create key file {}", path.display()));
            }
        };
        // The umask can only take bits away from 0600; set it outright anyway so the file is
        // exactly what `load` accepts, whatever the umask was.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .with_context(|| format!("cannot set mode 0600 on {}", path.display()))?;
        }
        let mut text = Zeroizing::new(String::with_capacity(512));
        text.push_str(&format!(
            "# jit audit signing key for {} {name:?}: an Ed25519 seed, base64.\n\
             # Anyone who can read this file can sign as this key: keep it mode 0600.\n",
            role.as_str()
        ));
        text.push_str(secret);
        text.push('\n');
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        if let Err(err) = written {
            // A half-written key file would fail every later load: take it away again.
            drop(file);
            let _ = std::fs::remove_file(path);
            return Err(err).with_context(|| format!("cannot write key file {}", path.display()));
        }
        Ok(())
    }

    /// Reads the seed from `path`. `Ok(None)` when there is no such file.
    pub(super) fn load(path: &Path) -> Result<Option<Zeroizing<[u8; 32]>>> {
        let shown = path.display();
        let mut file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("key store file:{shown}: cannot open the key file"));
            }
        };
        // Checked on the open file, not the path, so what is checked is what is read.
        let meta = file
            .metadata()
            .with_context(|| format!("key store file:{shown}: cannot read its metadata"))?;
        if !meta.is_file() {
            bail!("key store file:{shown}: not a regular file");
        }
        check_private(&meta, path)?;
        if meta.len() > MAX_KEY_FILE_LEN {
            bail!(
                "key store file:{shown}: {} bytes is too long for a jit key file",
                meta.len()
            );
        }
        let mut text = Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE_LEN as usize + 1));
        (&mut file)
            .take(MAX_KEY_FILE_LEN + 1)
            .read_to_end(&mut text)
            .with_context(|| format!("key store file:{shown}: cannot read the key file"))?;
        // Comment lines (`#`) and blank lines aside, exactly one line: the seed.
        let mut lines = text
            .split(|&b| b == b'\n')
            .map(<[u8]>::trim_ascii)
            .filter(|line| !line.is_empty() && !line.starts_with(b"#"));
        let where_ = format!("key file {shown}");
        match (lines.next(), lines.next()) {
            (Some(line), None) => decode_seed(line, &where_).map(Some),
            _ => bail!(
                "{where_} does not hold a jit signing key (expected one line of base64 after \
                 any `#` comments): remove it and run `jit log init` again"
            ),
        }
    }

    /// Refuses a key file that others can read or that belongs to someone else.
    #[cfg(unix)]
    fn check_private(meta: &std::fs::Metadata, path: &Path) -> Result<()> {
        use std::os::unix::fs::MetadataExt;

        let shown = shell_quote(&path.display().to_string());
        let mode = meta.mode() & 0o7777;
        if mode & 0o077 != 0 {
            bail!(
                "key store file:{}: mode {mode:04o} lets other users read the signing key, so \
                 jit will not use it; make it private with `chmod 600 {shown}` (in Kubernetes: \
                 `defaultMode: 0400` on the Secret volume)",
                path.display()
            );
        }
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            bail!(
                "key store file:{}: owned by uid {}, not by this user (uid {me}), so someone \
                 else controls the signing key; `chown {me} {shown}` if it is meant to be this \
                 user's",
                path.display(),
                meta.uid()
            );
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn check_private(_: &std::fs::Metadata, path: &Path) -> Result<()> {
        bail!(
            "key store file:{}: jit cannot check who may read a key file on this platform",
            path.display()
        )
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use std::sync::Arc;

    use keyring_core::{CredentialStore, mock};

    use super::*;

    fn mock_entry(user: &str) -> Entry {
        let store: Arc<CredentialStore> = mock::Store::new().unwrap();
        Entry::new_in_store(&store, SERVICE, user).unwrap()
    }

    fn fail_next(entry: &Entry, err: KeyringError) {
        let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(err);
    }

    fn platform(msg: &str) -> keyring_core::error::PlatformError {
        msg.to_string().into()
    }

    #[test]
    fn store_names_round_trip() {
        for (text, store) in [
            ("keyring", KeyStore::Keyring),
            ("keyutils", KeyStore::Keyutils),
            (
                "file:/etc/jit/reaper.key",
                KeyStore::File("/etc/jit/reaper.key".into()),
            ),
        ] {
            assert_eq!(text.parse::<KeyStore>().unwrap(), store);
            assert_eq!(store.to_string(), text);
            let json = serde_json::to_string(&store).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<KeyStore>(&json).unwrap(), store);
        }
    }

    #[test]
    fn store_names_refused() {
        for (text, says) in [
            ("kwallet", "unknown key store"),
            ("file:", "needs a path"),
            ("file:relative/key", "absolute path"),
            ("File:/x", "unknown key store"),
        ] {
            let err = text.parse::<KeyStore>().unwrap_err().to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
        assert!(serde_json::from_str::<KeyStore>("\"nope\"").is_err());
    }

    #[test]
    fn tilde_is_home() {
        let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) else {
            return;
        };
        let store: KeyStore = "file:~/.jit/key".parse().unwrap();
        assert_eq!(store, KeyStore::File(PathBuf::from(home).join(".jit/key")));
    }

    #[test]
    fn names_are_checked() {
        for bad in ["", "a\nb", "a b", "a+b", &"x".repeat(MAX_NAME_LEN + 1)] {
            assert!(
                load(&KeyStore::Keyring, KeyRole::Person, bad).is_err(),
                "{bad:?}"
            );
        }
        check_name("system:serviceaccount:jit:reaper").unwrap();
        check_name("alice@example.com").unwrap();
        assert_eq!(keyring_user(KeyRole::Reaper, "prod"), "reaper:prod");
        assert_eq!(keyring_user(KeyRole::Person, "a:b"), "person:a:b");
    }

    #[test]
    fn seed_text_round_trip() {
        let seed = [7u8; 32];
        let text = encode_seed(&seed);
        assert_eq!(text.len(), 44);
        let back = decode_seed(format!(" {}\n", *text).as_bytes(), &"here").unwrap();
        assert_eq!(*back, seed);
        for bad in [
            "",
            "not base64!",
            "AAAA",
            &BASE64.encode([1u8; 31]),
            &BASE64.encode([1u8; 33]),
        ] {
            let err = decode_seed(bad.as_bytes(), &"the entry")
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("the entry does not hold a jit signing key"),
                "{err}"
            );
        }
        assert!(decode_seed(&[b'A'; 5000], &"x").is_err());
    }

    #[test]
    fn mock_create_then_load() {
        let entry = mock_entry("person:alice");
        let seed = [9u8; 32];
        let store = KeyStore::Keyring;
        assert!(
            load_from_entry(&entry, &store, KeyRole::Person, "alice")
                .unwrap()
                .is_none()
        );
        create_in_entry(
            &entry,
            &store,
            KeyRole::Person,
            "alice",
            &encode_seed(&seed),
        )
        .unwrap();
        let loaded = load_from_entry(&entry, &store, KeyRole::Person, "alice").unwrap();
        assert_eq!(*loaded.unwrap(), seed);
        // The secret is text: KWallet stores nothing else.
        assert_eq!(entry.get_password().unwrap(), *encode_seed(&seed));
    }

    #[test]
    fn mock_create_refuses_to_overwrite() {
        let entry = mock_entry("reaper:prod");
        let store = KeyStore::Keyring;
        create_in_entry(
            &entry,
            &store,
            KeyRole::Reaper,
            "prod",
            &encode_seed(&[1; 32]),
        )
        .unwrap();
        let err = create_in_entry(
            &entry,
            &store,
            KeyRole::Reaper,
            "prod",
            &encode_seed(&[2; 32]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("already holds a signing key for reaper \"prod\""),
            "{err}"
        );
        assert!(err.contains("remove it first"), "{err}");
        assert!(err.contains("reaper:prod"), "{err}");
        // The first key is still there.
        let loaded = load_from_entry(&entry, &store, KeyRole::Reaper, "prod").unwrap();
        assert_eq!(*loaded.unwrap(), [1; 32]);
    }

    #[test]
    fn mock_unavailable_store_is_an_error_not_none() {
        let entry = mock_entry("reaper:prod");
        let store = KeyStore::Keyring;
        fail_next(&entry, KeyringError::PlatformFailure(platform("no bus")));
        let err = load_from_entry(&entry, &store, KeyRole::Reaper, "prod")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("key store keyring is unavailable: no bus"),
            "{err}"
        );
        assert!(
            err.contains("keyutils"),
            "the fix names the other stores: {err}"
        );

        fail_next(
            &entry,
            KeyringError::NoStorageAccess(platform("collection is locked")),
        );
        let err = load_from_entry(&entry, &store, KeyRole::Reaper, "prod")
            .unwrap_err()
            .to_string();
        assert!(err.contains("refused access"), "{err}");
        assert!(err.contains("collection is locked"), "{err}");
        assert!(err.contains("unlock"), "{err}");

        // A failure while checking for an existing key stops `create` before it writes.
        fail_next(&entry, KeyringError::PlatformFailure(platform("no bus")));
        assert!(
            create_in_entry(
                &entry,
                &store,
                KeyRole::Reaper,
                "prod",
                &encode_seed(&[3; 32])
            )
            .is_err()
        );
        assert!(
            load_from_entry(&entry, &store, KeyRole::Reaper, "prod")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn mock_bad_data_is_an_error_not_none() {
        let entry = mock_entry("person:bob");
        let store = KeyStore::Keyring;
        entry.set_password("hunter2").unwrap();
        let err = load_from_entry(&entry, &store, KeyRole::Person, "bob")
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not hold a jit signing key"), "{err}");
        assert!(
            err.contains("secret-tool clear service jit-audit username person:bob"),
            "{err}"
        );

        fail_next(&entry, KeyringError::BadEncoding(vec![0xff]));
        let err = load_from_entry(&entry, &store, KeyRole::Person, "bob")
            .unwrap_err()
            .to_string();
        assert!(err.contains("malformed entry"), "{err}");

        fail_next(&entry, KeyringError::Ambiguous(vec![]));
        let err = load_from_entry(&entry, &store, KeyRole::Person, "bob")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("holds 0 entries for person \"bob\" where jit expects one"),
            "{err}"
        );
    }

    #[test]
    fn mock_delete() {
        let entry = mock_entry("person:carol");
        let store = KeyStore::Keyring;
        assert!(!delete_entry(&entry, &store, KeyRole::Person, "carol").unwrap());
        entry.set_password(&encode_seed(&[4; 32])).unwrap();
        assert!(delete_entry(&entry, &store, KeyRole::Person, "carol").unwrap());
        assert!(
            load_from_entry(&entry, &store, KeyRole::Person, "carol")
                .unwrap()
                .is_none()
        );
        fail_next(&entry, KeyringError::NoStorageAccess(platform("locked")));
        assert!(delete_entry(&entry, &store, KeyRole::Person, "carol").is_err());
    }

    #[test]
    fn keyutils_errors_say_keyctl() {
        let entry = mock_entry("reaper:prod");
        fail_next(
            &entry,
            KeyringError::NoStorageAccess(platform("Permission denied")),
        );
        let err = load_from_entry(&entry, &KeyStore::Keyutils, KeyRole::Reaper, "prod")
            .unwrap_err()
            .to_string();
        assert!(err.contains("key store keyutils"), "{err}");
        assert!(err.contains("seccomp"), "{err}");
        let hint = removal_hint(&KeyStore::Keyutils, KeyRole::Reaper, "prod");
        assert_eq!(
            hint,
            "`keyctl get_persistent @s >/dev/null && keyctl purge -s user jit-audit:reaper:prod`"
        );
    }

    #[test]
    fn timeout_bounds_a_call_that_never_returns() {
        let started = std::time::Instant::now();
        let err = with_timeout(&KeyStore::Keyring, Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(30));
            Ok(())
        })
        .unwrap_err()
        .to_string();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(err.contains("did not answer within 0.1s"), "{err}");
        assert_eq!(
            with_timeout(&KeyStore::Keyring, Duration::from_secs(5), || Ok(7)).unwrap(),
            7
        );
        let err = with_timeout(
            &KeyStore::Keyring,
            Duration::from_secs(5),
            || -> Result<()> { panic!("boom") },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("panicked"), "{err}");
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("/etc/jit/reaper.key"), "/etc/jit/reaper.key");
        assert_eq!(shell_quote("/tmp/my key"), "'/tmp/my key'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn file_round_trip_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reaper.key");
        let store = KeyStore::File(path.clone());
        assert!(load(&store, KeyRole::Reaper, "prod").unwrap().is_none());
        let created = create(&store, KeyRole::Reaper, "prod").unwrap();
        assert_eq!(mode(&path), 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# jit audit signing key for reaper \"prod\""),
            "{text}"
        );
        let loaded = load(&store, KeyRole::Reaper, "prod").unwrap().unwrap();
        assert_eq!(loaded.seed(), created.seed());
        // 0400 is private too (a Kubernetes Secret volume with `defaultMode: 0400`).
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert!(load(&store, KeyRole::Reaper, "prod").unwrap().is_some());
        assert!(delete(&store, KeyRole::Reaper, "prod").unwrap());
        assert!(!delete(&store, KeyRole::Reaper, "prod").unwrap());
        assert!(load(&store, KeyRole::Reaper, "prod").unwrap().is_none());
    }

    #[test]
    fn file_mode_0600_whatever_the_umask_allows() {
        let dir = tempfile::tempdir().unwrap();
        // A permissive directory default cannot widen the key file.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let path = dir.path().join("k");
        create(&KeyStore::File(path.clone()), KeyRole::Person, "alice").unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn file_refuses_group_or_other_access() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reaper.key");
        let store = KeyStore::File(path.clone());
        create(&store, KeyRole::Reaper, "prod").unwrap();
        for bad in [0o644, 0o640, 0o604, 0o660] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(bad)).unwrap();
            let err = load(&store, KeyRole::Reaper, "prod")
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("mode {bad:04o}")), "{err}");
            assert!(err.contains("chmod 600"), "{err}");
        }
    }

    #[test]
    fn file_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reaper.key");
        let store = KeyStore::File(path.clone());
        let first = create(&store, KeyRole::Reaper, "prod").unwrap();
        let err = create(&store, KeyRole::Reaper, "prod")
            .unwrap_err()
            .to_string();
        assert!(err.contains("already exists"), "{err}");
        assert!(err.contains(&format!("rm {}", path.display())), "{err}");
        let loaded = load(&store, KeyRole::Reaper, "prod").unwrap().unwrap();
        assert_eq!(loaded.seed(), first.seed(), "the first key is untouched");
        // Not even a file that is not a key is replaced.
        let other = dir.path().join("notes.txt");
        std::fs::write(&other, "keep me").unwrap();
        assert!(create(&KeyStore::File(other.clone()), KeyRole::Person, "a").is_err());
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
    }

    #[test]
    fn file_bad_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let store = KeyStore::File(path.clone());
        let seed = BASE64.encode([5u8; 32]);
        for (text, ok) in [
            (format!("{seed}\n"), true),
            (format!("# a comment\n\n{seed}"), true),
            (format!("{seed}\n{seed}\n"), false),
            ("".to_string(), false),
            ("# only a comment\n".to_string(), false),
            ("-----BEGIN PRIVATE KEY-----\n".to_string(), false),
        ] {
            std::fs::write(&path, &text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            let got = load(&store, KeyRole::Person, "a");
            assert_eq!(
                got.is_ok(),
                ok,
                "{text:?}: {got:?}",
                got = got.as_ref().err()
            );
            if let Err(err) = got {
                assert!(
                    err.to_string().contains("does not hold a jit signing key"),
                    "{err}"
                );
            }
        }
        std::fs::write(&path, vec![b'#'; 5000]).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(load(&store, KeyRole::Person, "a").is_err());
    }

    #[test]
    fn file_missing_directory_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let missing = KeyStore::File(dir.path().join("no/such/dir/key"));
        let err = create(&missing, KeyRole::Person, "a")
            .unwrap_err()
            .to_string();
        assert!(err.contains("its directory does not exist"), "{err}");
        assert!(load(&missing, KeyRole::Person, "a").unwrap().is_none());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let err = load(
            &KeyStore::File(dir.path().to_path_buf()),
            KeyRole::Person,
            "a",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("not a regular file"), "{err}");
    }

    #[test]
    fn file_owned_by_someone_else_is_refused() {
        // Only root can hand a file to another user; elsewhere this case cannot be set up.
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: needs root to chown a file to another user");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let store = KeyStore::File(path.clone());
        create(&store, KeyRole::Reaper, "prod").unwrap();
        std::os::unix::fs::chown(&path, Some(65534), None).unwrap();
        let err = load(&store, KeyRole::Reaper, "prod")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("owned by uid 65534, not by this user (uid 0)"),
            "{err}"
        );
    }
}
