//! Conformance of the fake API server (`tests/fake_api`) with a real kube-apiserver: the responses
//! captured in `shared/k8s-fixtures` replayed in capture order, plus focused tests of behaviour the
//! fixtures do not show.

mod client;
mod compare;
mod focused;
mod replay;
