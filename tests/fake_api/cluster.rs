//! The fake cluster's whole state, and the pipeline every request goes through: record, injected
//! faults, disabled APIs, authentication, routing.

use std::time::Duration;

use serde_json::Value;

use super::ownership::{self, Writer};
use super::request::{Call, Incoming};
use super::route::{self, Route};
use super::status::{self, Reply};
use super::store::{self, Store};
use super::world::{User, World};
use super::{Recorded, clock, kinds, resources, reviews};

pub struct Fault {
    pub method: String,
    pub path_prefix: String,
    pub status: u16,
    pub remaining: usize,
}

/// A change another client makes to a stored NetworkPolicy just before the next matching
/// request is served (see `FakeApi::edit_before_next`).
pub struct Edit {
    pub method: String,
    pub path_prefix: String,
    pub namespace: String,
    pub name: String,
    pub change: Box<dyn FnOnce(&mut Value) + Send>,
}

#[derive(Default)]
pub struct Cluster {
    pub users: Vec<User>,
    pub store: Store,
    pub skew_secs: i64,
    pub latency: Duration,
    pub faults: Vec<Fault>,
    pub edits: Vec<Edit>,
    pub disabled: Vec<String>,
    pub requests: Vec<Recorded>,
}

impl Cluster {
    pub fn new(world: World) -> Cluster {
        let mut cluster = Cluster {
            users: world.users,
            ..Cluster::default()
        };
        let now = clock::rfc3339(clock::skewed(0));
        let seeds = world
            .namespaces
            .into_iter()
            .map(|ns| (&kinds::NAMESPACES, ns))
            .chain(world.objects);
        for (kind, mut obj) in seeds {
            let config = obj.clone();
            let writer = Writer {
                manager: "fake-world",
                api_version: &kind.api_version(),
                now: &now,
            };
            ownership::applied_create(&kind.schema, &mut obj, &config, &writer);
            store::stamp_new(kind, &mut obj, &now);
            cluster.store.put(kind, obj);
        }
        cluster
    }

    pub fn now(&self) -> std::time::SystemTime {
        clock::skewed(self.skew_secs)
    }

    pub fn serve(&mut self, req: &Incoming) -> Reply {
        self.run_edit(req);
        let user = req
            .token
            .as_deref()
            .and_then(|t| t.strip_prefix("token-"))
            .and_then(|name| self.users.iter().find(|u| u.name == name));
        self.requests.push(Recorded {
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            user: user.map(|u| u.name.clone()),
            content_type: req.content_type.clone(),
            body: req.json_body(),
            dry_run: req.dry_run(),
        });
        if let Some(code) = take_fault(&mut self.faults, req) {
            return status::injected(code);
        }
        if self
            .disabled
            .iter()
            .any(|prefix| req.path.starts_with(prefix.as_str()))
        {
            return status::unknown_path();
        }
        let Some(user) = user else {
            return status::unauthorized();
        };
        let call = Call {
            req,
            user,
            now: clock::skewed(self.skew_secs),
        };
        let answer = match route::parse(&req.path) {
            Route::Version => reviews::version(&call),
            Route::SelfSubjectReview => reviews::self_subject(&call),
            Route::SelfSubjectAccessReview => reviews::access_review(&call),
            Route::Resource(target) => resources::handle(&mut self.store, &call, &target),
            Route::Unknown => Err(status::unknown_path()),
        };
        answer.unwrap_or_else(|failure| failure)
    }

    /// Runs (once) the first pending edit matching `req`: the stored object changes the way an
    /// update by someone else would change it, with a new resourceVersion.
    fn run_edit(&mut self, req: &Incoming) {
        let Some(i) = self.edits.iter().position(|e| {
            e.method.eq_ignore_ascii_case(&req.method) && req.path.starts_with(&e.path_prefix)
        }) else {
            return;
        };
        let edit = self.edits.remove(i);
        let kind = &kinds::NETWORK_POLICIES;
        let Some(mut obj) = self
            .store
            .get(kind, Some(&edit.namespace), &edit.name)
            .cloned()
        else {
            return;
        };
        (edit.change)(&mut obj);
        self.store.put(kind, obj);
    }

    /// Stores a NetworkPolicy as given, filling in what a stored object always has.
    pub fn put_networkpolicy(&mut self, ns: &str, mut obj: Value) {
        let kind = &kinds::NETWORK_POLICIES;
        if let Some(map) = obj.as_object_mut() {
            map.remove("kind");
            map.remove("apiVersion");
        }
        obj["metadata"]["namespace"] = Value::from(ns);
        let filled = [
            ("uid", Value::from(store::new_uid())),
            ("creationTimestamp", Value::from(clock::rfc3339(self.now()))),
            ("generation", Value::from(1)),
        ];
        for (field, value) in filled {
            if obj["metadata"].get(field).is_none_or(Value::is_null) {
                obj["metadata"][field] = value;
            }
        }
        self.store.restore(kind, obj);
    }
}

/// Consumes one use of the first fault matching `req`, if any, and returns its status.
fn take_fault(faults: &mut [Fault], req: &Incoming) -> Option<u16> {
    let fault = faults.iter_mut().find(|f| {
        f.remaining > 0
            && f.method.eq_ignore_ascii_case(&req.method)
            && req.path.starts_with(&f.path_prefix)
    })?;
    fault.remaining -= 1;
    Some(fault.status)
}
