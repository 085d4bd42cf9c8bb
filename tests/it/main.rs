//! One integration test binary made of modules (faster to build than one binary per file).

#[path = "../fake_api/mod.rs"]
#[allow(dead_code)]
mod fake_api;

mod audit;
mod audit_trail;
mod config_cmd;
mod conformance;
mod doctor;
mod e2e;
mod e2e_guard;
mod e2e_safety;
mod extend;
mod generated;
mod grant;
mod guard;
mod harness;
mod interactive;
mod invalid;
mod keystore;
mod list;
mod log_cmd;
mod plugin;
mod rbac_cmd;
mod reap;
mod reaper_setup;
mod revoke;
mod safety;
mod session;
