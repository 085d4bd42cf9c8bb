//! `jit reaper manifest|systemd|crontab`: printed by the binary, ready to install.

use crate::harness::Jit;

#[test]
fn the_manifest_is_four_valid_objects_with_the_options_given() {
    let run = Jit::new().run(&[
        "reaper",
        "manifest",
        "--image",
        "registry.example.com/jit:1.2.3",
        "--reaper-namespace",
        "security",
        "--schedule",
        "*/2 * * * *",
    ]);
    run.success();
    let docs: Vec<serde_json::Value> = run
        .stdout
        .split("---\n")
        .map(|doc| serde_saphyr::from_str(doc).expect("each document parses"))
        .collect();
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "CronJob"
        ]
    );
    assert_eq!(
        docs[1]["rules"],
        serde_json::json!([{"apiGroups": ["networking.k8s.io"], "resources": ["networkpolicies"], "verbs": ["list", "watch", "delete"]}])
    );
    let cron = &docs[3];
    assert_eq!(cron["metadata"]["namespace"], "security");
    assert_eq!(cron["spec"]["schedule"], "*/2 * * * *");
    assert_eq!(cron["spec"]["concurrencyPolicy"], "Forbid");
    let container = &cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "registry.example.com/jit:1.2.3");
    assert_eq!(container["args"], serde_json::json!(["reap", "-o", "json"]));
}

#[test]
fn systemd_and_cron_name_the_binary_absolutely() {
    let run = Jit::new().run(&[
        "reaper",
        "systemd",
        "--binary",
        "/opt/jit/bin/jit",
        "--interval",
        "2min",
    ]);
    run.success();
    assert!(
        run.stdout.contains("ExecStart=/opt/jit/bin/jit reap"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("OnUnitActiveSec=2min"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("# /etc/systemd/system/jit-reap.timer"),
        "{}",
        run.stdout
    );

    let run = Jit::new().run(&["reaper", "crontab"]);
    run.success();
    assert_eq!(
        run.stdout,
        "* * * * * /usr/local/bin/jit reap -o json >> /var/log/jit-reap.log 2>&1\n"
    );

    let run = Jit::new().run(&["reaper", "crontab", "--binary", "jit"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("--binary") && run.stderr.contains("absolute path"),
        "{}",
        run.stderr
    );
    let run = Jit::new().run(&[
        "reaper",
        "systemd",
        "--interval",
        "1min\nExecStart=/bin/evil",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("--interval"), "{}", run.stderr);
}
