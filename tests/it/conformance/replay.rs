//! Replays every captured fixture against one fake, in the order the real cluster saw them.
//!
//! The order follows the fixtures' resourceVersions: `fixture-apply` is created (289), applied
//! again, conflicted; `fixture-create` is created (290); three `fixture-page-N` objects (291-293,
//! created by the capture script without fixtures of their own, so created here) are listed in
//! pages; `fixture-create` is deleted (294); the rest go in one deletecollection (295-298); then
//! the config map (299, 300).
//!
//! uids, resourceVersions and continue tokens differ between the fake and the capture, so the
//! replay learns each captured value's counterpart from the fake's answers and substitutes it in
//! later requests and expected messages.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use serde_json::Value;

use super::client::Client;
use super::compare::assert_conforms;
use crate::fake_api::{FakeApi, World};

enum Step {
    Replay(&'static str),
    /// The capture created `fixture-page-0..2` in team-a (as netpol-create does) before listing.
    CreatePages,
}

const ORDER: &[Step] = &[
    Step::Replay("version"),
    Step::Replay("selfsubjectreview-alice"),
    Step::Replay("selfsubjectreview-admin"),
    Step::Replay("selfsubjectreview-mallory"),
    Step::Replay("ssar-alice-create-team-a-allowed"),
    Step::Replay("ssar-alice-create-team-b-denied"),
    Step::Replay("ssar-alice-deletecollection-team-a"),
    Step::Replay("ssar-mallory-create-team-a-denied"),
    Step::Replay("namespace-get"),
    Step::Replay("namespace-get-missing"),
    Step::Replay("pods-list-selector"),
    Step::Replay("pods-list-set-selector"),
    Step::Replay("pods-list-bad-selector"),
    Step::Replay("netpol-list-empty"),
    Step::Replay("netpol-apply-create"),
    Step::Replay("netpol-apply-again"),
    Step::Replay("netpol-apply-conflict-other-manager"),
    Step::Replay("netpol-apply-dryrun"),
    Step::Replay("netpol-get-dryrun-absent"),
    Step::Replay("netpol-apply-forbidden-team-b"),
    Step::Replay("netpol-apply-forbidden-mallory"),
    Step::Replay("netpol-create-invalid-cidr"),
    Step::Replay("netpol-create-invalid-port"),
    Step::Replay("netpol-create-invalid-endport"),
    Step::Replay("netpol-create-invalid-label-value"),
    Step::Replay("netpol-create"),
    Step::Replay("netpol-create-exists"),
    Step::CreatePages,
    Step::Replay("netpol-list-page1"),
    Step::Replay("netpol-list-page2"),
    Step::Replay("netpol-list-all-namespaces-admin"),
    Step::Replay("netpol-list-all-namespaces-alice-forbidden"),
    Step::Replay("netpol-get"),
    Step::Replay("netpol-delete-precondition-rv-mismatch"),
    Step::Replay("netpol-delete-precondition-uid-mismatch"),
    Step::Replay("netpol-delete-precondition-ok"),
    Step::Replay("netpol-delete-missing"),
    Step::Replay("netpol-deletecollection-forbidden-verb"),
    Step::Replay("netpol-deletecollection"),
    Step::Replay("netpol-deletecollection-forbidden"),
    Step::Replay("configmap-create"),
    Step::Replay("configmap-update-cas-ok"),
    Step::Replay("configmap-update-cas-stale"),
];

/// ValidatingAdmissionPolicy fixtures: the fake has no CEL engine, so these belong to the
/// real-cluster tier.
const SKIPPED: &[&str] = &[
    "vap-create",
    "vap-binding-create",
    "vap-denied-forged-requester",
    "vap-allowed-honest",
];

/// Objects `World::fixtures()` has beyond the capture cluster (the pod `team-a/cache`, app=db,
/// for selector tests), which the fake must return in addition to the captured items.
fn extra_items(fixture: &str) -> &'static [&'static str] {
    match fixture {
        "pods-list-selector" | "pods-list-set-selector" => &["cache"],
        _ => &[],
    }
}

fn fixtures_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/k8s-fixtures"
    ));
    assert!(
        dir.is_dir(),
        "the captured API server fixtures are missing: expected them in {} (shared/k8s-fixtures beside the repo)",
        dir.display()
    );
    dir
}

fn load(name: &str) -> Value {
    let path = fixtures_dir().join(format!("{name}.json"));
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

#[test]
fn every_fixture_is_replayed_or_explicitly_skipped() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .expect("list fixtures")
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".json")
                .map(str::to_string)
        })
        .collect();
    let covered: BTreeSet<String> = ORDER
        .iter()
        .filter_map(|s| match s {
            Step::Replay(name) => Some(name.to_string()),
            Step::CreatePages => None,
        })
        .chain(SKIPPED.iter().map(|s| s.to_string()))
        .collect();
    assert_eq!(
        on_disk, covered,
        "fixtures on disk vs fixtures this test knows"
    );
}

#[test]
fn fixtures_replay_in_capture_order() {
    for name in SKIPPED {
        eprintln!(
            "skipping {name}: ValidatingAdmissionPolicy needs a CEL engine (real-cluster tier only)"
        );
    }
    let api = FakeApi::start(World::fixtures());
    let mut learned = Learned::default();
    let mut replayed = 0;
    for step in ORDER {
        match step {
            Step::Replay(name) => {
                replay(&api, name, &mut learned);
                replayed += 1;
            }
            Step::CreatePages => create_pages(&api),
        }
    }
    eprintln!("replayed {replayed} fixtures, skipped {}", SKIPPED.len());
}

fn create_pages(api: &FakeApi) {
    let template = load("netpol-create")["request"]["body"].clone();
    for i in 0..3 {
        let mut body = template.clone();
        body["metadata"]["name"] = Value::from(format!("fixture-page-{i}"));
        let response = Client::new(api, Some("alice")).post(
            "/apis/networking.k8s.io/v1/namespaces/team-a/networkpolicies",
            &body,
        );
        assert_eq!(
            response.status, 201,
            "create fixture-page-{i}: {:#}",
            response.body
        );
    }
}

fn replay(api: &FakeApi, name: &str, learned: &mut Learned) {
    let fixture = load(name);
    let request = &fixture["request"];
    let client = Client::new(api, fixture["as_user"].as_str());
    let query: Vec<(String, String)> = request["query"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            (
                k.clone(),
                learned.substitute(v.as_str().unwrap_or_default()),
            )
        })
        .collect();
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let body = request
        .get("body")
        .filter(|b| !b.is_null())
        .map(|b| learned.in_body(b));
    let response = client.send(
        request["method"].as_str().expect("method"),
        request["path"].as_str().expect("path"),
        &query,
        request["content_type"].as_str(),
        body.as_ref(),
    );

    let expected = &fixture["response"];
    assert_eq!(
        response.status, expected["status"],
        "{name}: status\n{:#}",
        response.body
    );
    assert_eq!(
        response.headers.get("content-type").map(String::as_str),
        Some("application/json"),
        "{name}"
    );
    let date = response
        .headers
        .get("date")
        .unwrap_or_else(|| panic!("{name}: no Date header"));
    jiff::fmt::rfc2822::parse(date).unwrap_or_else(|e| panic!("{name}: Date {date:?}: {e}"));

    let mut actual = response.body;
    drop_extra_items(name, &mut actual);
    let mut want = expected["body"].clone();
    if let Some(message) = want["message"].as_str() {
        want["message"] = Value::from(learned.in_message(message));
    }
    assert_conforms(name, &want, &actual);
    learned.learn(&expected["body"], &actual);
}

fn drop_extra_items(name: &str, body: &mut Value) {
    let extra = extra_items(name);
    let Some(items) = body.get_mut("items").and_then(Value::as_array_mut) else {
        return;
    };
    for wanted in extra {
        let found = items.iter().position(|i| i["metadata"]["name"] == *wanted);
        let at = found.unwrap_or_else(|| panic!("{name}: the fake should also return {wanted}"));
        items.remove(at);
    }
}

/// Captured value → the fake's value, for uids, resourceVersions and continue tokens.
#[derive(Default)]
struct Learned(HashMap<String, String>);

impl Learned {
    /// Pairs up the captured and the fake's identifiers in two bodies of the same shape.
    fn learn(&mut self, captured: &Value, fake: &Value) {
        for field in ["uid", "resourceVersion", "continue"] {
            let pair = (
                captured["metadata"][field].as_str(),
                fake["metadata"][field].as_str(),
            );
            if let (Some(from), Some(to)) = pair {
                self.0
                    .entry(from.to_string())
                    .or_insert_with(|| to.to_string());
            }
        }
        let items = |v: &Value| v["items"].as_array().cloned().unwrap_or_default();
        for (c, f) in items(captured).iter().zip(items(fake).iter()) {
            self.learn(c, f);
        }
    }

    fn substitute(&self, value: &str) -> String {
        self.0
            .get(value)
            .cloned()
            .unwrap_or_else(|| value.to_string())
    }

    /// Swaps identifiers in `uid`/`resourceVersion` fields anywhere in a request body.
    fn in_body(&self, body: &Value) -> Value {
        match body {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let swapped = match (k.as_str(), v.as_str()) {
                            ("uid" | "resourceVersion", Some(s)) => Value::from(self.substitute(s)),
                            _ => self.in_body(v),
                        };
                        (k.clone(), swapped)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.in_body(v)).collect()),
            other => other.clone(),
        }
    }

    /// Messages quote identifiers in parentheses: "the UID in record (...)".
    fn in_message(&self, message: &str) -> String {
        let mut out = String::new();
        let mut rest = message;
        while let Some(open) = rest.find('(') {
            let Some(close) = rest[open..].find(')') else {
                break;
            };
            out.push_str(&rest[..=open]);
            out.push_str(&self.substitute(&rest[open + 1..open + close]));
            out.push(')');
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }
}
