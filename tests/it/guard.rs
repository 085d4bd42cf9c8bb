//! `jit guard`: the admission policy and binding, printed by the binary with the limits of
//! the configuration or the flags.

use serde_json::Value;

use crate::harness::{Jit, Run};

/// The YAML documents of a successful run, after its comment.
fn documents(run: &Run) -> Vec<Value> {
    run.success();
    run.stdout
        .split("---\n")
        .map(|doc| serde_saphyr::from_str(doc).expect("each document parses"))
        .collect()
}

/// Every validation message of the policy, one string.
fn messages(policy: &Value) -> String {
    policy["spec"]["validations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["message"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn prints_the_policy_and_its_binding_with_the_default_limits() {
    let run = Jit::new().run(&["guard"]);
    assert!(
        run.stdout.starts_with("# jit guard:"),
        "a comment says what it is\n{}",
        run.stdout
    );
    let docs = documents(&run);
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding"
        ]
    );
    for doc in &docs {
        assert_eq!(doc["apiVersion"], "admissionregistration.k8s.io/v1");
        assert_eq!(doc["metadata"]["name"], "jit-guard");
    }
    assert_eq!(docs[0]["spec"]["failurePolicy"], "Fail");
    assert_eq!(docs[1]["spec"]["policyName"], "jit-guard");
    assert_eq!(
        docs[1]["spec"]["validationActions"],
        serde_json::json!(["Deny"])
    );
    let messages = messages(&docs[0]);
    assert!(messages.contains("(28800s, the maximum TTL)"), "{messages}");
    assert!(
        messages.contains("(86400s, the maximum lifetime"),
        "{messages}"
    );
    assert!(
        docs[0]["spec"]["validations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["expression"]
                .as_str()
                .unwrap()
                .contains("variables.created + 28800")),
        "{}",
        run.stdout
    );
}

#[test]
fn limits_come_from_the_configuration_unless_flags_say_otherwise() {
    let jit = Jit::new().config("max_ttl: 2h\nmax_lifetime: 12h\n");
    let docs = documents(&jit.run(&["guard"]));
    let text = messages(&docs[0]);
    assert!(text.contains("at most 2h (7200s"), "{text}");
    assert!(text.contains("at most 12h (43200s"), "{text}");

    let docs = documents(&jit.run(&["guard", "--max-ttl", "30m", "--max-lifetime", "1h"]));
    let text = messages(&docs[0]);
    assert!(text.contains("at most 30m (1800s"), "{text}");
    assert!(text.contains("at most 1h (3600s"), "{text}");
}

#[test]
fn a_ttl_longer_than_the_lifetime_is_a_usage_error_naming_the_flag() {
    let run = Jit::new().run(&["guard", "--max-ttl", "30h"]);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("--max-ttl") && run.stderr.contains("maximum lifetime"),
        "{}",
        run.stderr
    );

    // The default max_ttl (8h) is over a shorter --max-lifetime: that flag is the one given.
    let run = Jit::new().run(&["guard", "--max-lifetime", "1h"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--max-lifetime"), "{}", run.stderr);

    let run = Jit::new().run(&["guard", "--max-ttl", "0s"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--max-ttl"), "{}", run.stderr);
}

#[test]
fn json_is_one_list_of_both_objects() {
    let run = Jit::new().run(&["guard", "-o", "json", "--name", "team-guard"]);
    run.success();
    let list: Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(list["kind"], "List");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "ValidatingAdmissionPolicy");
    assert_eq!(items[0]["metadata"]["name"], "team-guard");
    assert_eq!(items[1]["spec"]["policyName"], "team-guard");
}

#[test]
fn other_formats_and_bad_names_are_usage_errors() {
    let run = Jit::new().run(&["guard", "-o", "name"]);
    run.expect_code(2);
    assert!(run.stderr.contains("yaml or json"), "{}", run.stderr);

    let run = Jit::new().run(&["guard", "--name", "Jit_Guard"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--name"), "{}", run.stderr);
}
