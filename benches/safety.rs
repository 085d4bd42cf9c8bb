//! How long a grant's safety assessment takes on a large namespace: it compares every flow
//! into the target pods (from every pod read and every address stretch, on every port
//! stretch) before and after the grant, so its cost grows with pods × policies × ports.
//!
//!     cargo bench --bench safety
//!
//! Target: under 200 ms for 1,000 pods and 60 policies (about one API round trip to a
//! remote cluster), so the check never dominates a grant.

use std::time::{Duration, Instant};

use jit::policy::{Grant, GrantId, Port, PortRef, Ports, Protocol, Source, Stamp, Target};
use jit::reach::{Namespace, Pod};
use jit::safety::{Snapshot, assess};
use k8s_openapi::api::networking::v1::NetworkPolicy;

const RUNS: usize = 5;

/// `pods` pods over 20 apps in team-a and 100 in ops; a default deny in team-a and
/// `policies` allow rules, each admitting one app from another on its own port.
fn snapshot(pods: usize, policies: usize) -> Snapshot {
    let mut snapshot = Snapshot {
        namespaces: vec![Namespace::new("team-a"), Namespace::new("ops")],
        ..Snapshot::default()
    };
    for i in 0..pods {
        snapshot.pods.push(
            Pod::new("team-a", format!("pod-{i}"))
                .with_label("app", format!("app-{}", i % 20))
                .with_ip(format!("10.1.{}.{}", i / 250, i % 250 + 1).parse().unwrap())
                .with_port("http", 8080, Protocol::Tcp),
        );
    }
    for i in 0..100 {
        snapshot
            .pods
            .push(Pod::new("ops", format!("tool-{i}")).with_label("app", "toolbox"));
    }
    snapshot.policies.push(np(
        "default-deny",
        "{podSelector: {}, policyTypes: [Ingress]}".to_string(),
    ));
    for i in 0..policies {
        snapshot.policies.push(np(
            &format!("allow-{i}"),
            format!(
                "{{podSelector: {{matchLabels: {{app: app-{}}}}}, ingress: [{{from: [{{podSelector: {{matchLabels: {{app: app-{}}}}}}}, {{ipBlock: {{cidr: 192.168.{i}.0/24}}}}], ports: [{{port: {}}}]}}]}}",
                i % 20,
                (i + 1) % 20,
                9000 + i
            ),
        ));
    }
    snapshot
}

fn np(name: &str, spec: String) -> NetworkPolicy {
    serde_saphyr::from_str(&format!(
        "metadata: {{name: {name}, namespace: team-a}}\nspec: {spec}"
    ))
    .unwrap()
}

fn grant() -> Grant {
    Grant {
        namespace: "team-a".into(),
        target: Target::Pods("app=app-3".parse().unwrap()),
        target_service: None,
        sources: vec![
            Source::Pods("app=app-7".parse().unwrap()),
            Source::Namespace {
                name: "ops".into(),
                pods: Some("app=toolbox".parse().unwrap()),
            },
        ],
        ports: Ports::Only(vec![Port {
            port: PortRef::Number(5432),
            protocol: Protocol::Tcp,
        }]),
        ttl: Duration::from_secs(1800),
        reason: None,
    }
}

/// The broadest grant: every pod of ops to every pod of team-a, on every port.
fn broad() -> Grant {
    Grant {
        target: Target::AllPods,
        sources: vec![Source::Namespace {
            name: "ops".into(),
            pods: None,
        }],
        ports: Ports::All,
        ..grant()
    }
}

fn main() {
    let stamp = Stamp {
        id: GrantId::generate(&mut rand::rng()),
        requester: "alice".into(),
        groups: Vec::new(),
        created: jiff::Timestamp::now(),
        expires: jiff::Timestamp::now(),
    };
    println!(
        "{:>6} {:>9} {:>7} {:>12} {:>12} {:>10} {:>9}",
        "pods", "policies", "grant", "median", "min", "targets", "flows"
    );
    let cases = [
        (100, 10, "narrow"),
        (300, 30, "narrow"),
        (1000, 60, "narrow"),
        (3000, 60, "narrow"),
        (1000, 60, "broad"),
    ];
    for (pods, policies, kind) in cases {
        let snapshot = snapshot(pods, policies);
        let grant = if kind == "broad" { broad() } else { grant() };
        let mut times = Vec::new();
        let mut shape = (0, 0);
        for _ in 0..RUNS {
            let started = Instant::now();
            let assessment = assess(&snapshot, &grant, &stamp).unwrap();
            times.push(started.elapsed());
            let refusal = assessment.refusal(Default::default());
            assert!(refusal.is_none(), "{:?}", refusal.map(|r| r.message));
            shape = (assessment.target_pods.len(), assessment.rows_total);
        }
        times.sort();
        println!(
            "{pods:>6} {policies:>9} {kind:>7} {:>12.1?} {:>12.1?} {:>10} {:>9}",
            times[RUNS / 2],
            times[0],
            shape.0,
            shape.1
        );
    }
}
