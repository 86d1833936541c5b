//! The default transport's TLS: rustls on ring, verifying against the operating system's trust store.
//!
//! A loopback HTTPS server presents a certificate for `localhost` and `127.0.0.1` signed by a test
//! root (tests/fixtures/tls, made with openssl for these tests). The system does not trust that root,
//! so the request is refused before it is sent; once the root is in the store the system's programs
//! read (`SSL_CERT_FILE`, as a corporate TLS proxy's root would be installed), the same request
//! succeeds. Environment variables are per process, so that case runs in a child process.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use partner_core::error::TransportErrorKind;
use partner_core::{ApiClient, Error, Request, RetryPolicy};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SERVER_CERT: &[u8] = include_bytes!("fixtures/tls/server.pem");
const SERVER_KEY: &[u8] = include_bytes!("fixtures/tls/server.key");
const TEST_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");
const CHILD_MARKER: &str = "PARTNER_CORE_TLS_CHILD";

/// Serves `200 ok` over TLS to every client that completes a handshake; counts the requests read.
async fn https_server() -> (u16, Arc<AtomicUsize>) {
    let certs = CertificateDer::pem_slice_iter(SERVER_CERT)
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let Ok(mut tls) = acceptor.accept(tcp).await else {
                continue;
            };
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match tls.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            counter.fetch_add(1, Ordering::SeqCst);
            let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
            let _ = tls.write_all(reply).await;
            let _ = tls.shutdown().await;
        }
    });
    (port, requests)
}

fn client() -> ApiClient {
    ApiClient::builder("tls-test/1")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_server_the_system_does_not_trust_is_refused_before_sending() {
    let (port, requests) = https_server().await;
    let url = format!("https://localhost:{port}/ping").parse().unwrap();
    let err = client().execute(Request::get(url)).await.unwrap_err();
    match err {
        Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::Connect, "{t:?}"),
        other => panic!("expected a connect error, got {other:?}"),
    }
    assert_eq!(
        requests.load(Ordering::SeqCst),
        0,
        "nothing reached the server"
    );
}

#[tokio::test]
async fn a_root_in_the_system_trust_store_is_trusted() {
    if std::env::var_os(CHILD_MARKER).is_none() {
        let test = "a_root_in_the_system_trust_store_is_trusted";
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", test, "--nocapture", "--test-threads", "1"])
            .env(CHILD_MARKER, "1")
            .env("SSL_CERT_FILE", TEST_ROOT)
            .env_remove("SSL_CERT_DIR")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("trusted-root-ok"),
            "the child run failed or did not run the test:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        return;
    }
    let (port, requests) = https_server().await;
    let url = format!("https://localhost:{port}/ping").parse().unwrap();
    let response = client().execute(Request::get(url)).await.unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(&response.body[..], b"ok");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    println!("trusted-root-ok");
}
