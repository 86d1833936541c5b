//! The seller sign-up example (`examples/seller_signup`) in a real headless Chromium, over WebDriver:
//! open the sellers page, click "Connect with PayPal", complete the sandbox's sign-up page, land back
//! on the status page, and check it shows the seller's merchant id and "ready". A screenshot of the
//! final page is saved to `target/artifacts/signup-status.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the test
//! is skipped with a message, unless `CI` is set, where it fails.

#[path = "../examples/seller_signup/app.rs"]
mod app;

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use partner_sandbox::{Sandbox, SandboxConfig};
use paypal_partner::Client;
use paypal_partner::partner_core::url::Url;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(30);
const SELLER: &str = "seller-ada";

/// `name` as an executable file: `/usr/bin/{name}` or the first on `PATH`.
fn find_executable(name: &str) -> Option<PathBuf> {
    let usr_bin = Path::new("/usr/bin").join(name);
    if usr_bin.is_file() {
        return Some(usr_bin);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// Chromium and chromedriver, or why the test cannot run.
fn browser_tools() -> Result<(PathBuf, PathBuf), String> {
    let chromium = find_executable("chromium")
        .ok_or("`chromium` not found in /usr/bin or on PATH (Debian: apt-get install chromium)")?;
    let driver = find_executable("chromedriver").ok_or(
        "`chromedriver` not found in /usr/bin or on PATH (Debian: apt-get install chromium-driver)",
    )?;
    Ok((chromium, driver))
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// A running chromedriver, stopped (with the browsers it started) when dropped.
struct Chromedriver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Chromedriver {
    fn start(driver: &Path, log: PathBuf) -> Self {
        // A free port: bound, read, released. chromedriver binds it right after.
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let mut command = Command::new(driver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::from(File::create(&log).expect("chromedriver log")))
            .stderr(Stdio::from(
                File::create(log.with_extension("err")).expect("log"),
            ));
        // Its own process group, so that Drop also stops the Chromium processes it spawned.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().expect("chromedriver starts");
        let mut driver = Chromedriver { child, port, log };
        driver.wait_until_listening();
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn logs(&self) -> String {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        format!(
            "{}{}",
            read(&self.log),
            read(&self.log.with_extension("err"))
        )
    }

    fn wait_until_listening(&mut self) {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let deadline = Instant::now() + WAIT;
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("chromedriver exited ({status}):\n{}", self.logs());
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on {addr} within {WAIT:?}:\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            // The whole group: chromedriver and any browser left behind by a failed test.
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{}", self.child.id())])
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `target/` of this workspace (or `CARGO_TARGET_DIR`).
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

/// What the browser saw at the end.
struct Observed {
    url: Url,
    verdict: String,
    merchant_id: String,
    text: String,
    screenshot: Vec<u8>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_with_paypal_in_a_real_browser() {
    let (chromium, driver_path) = match browser_tools() {
        Ok(tools) => tools,
        Err(reason) if on_ci() => panic!("CI is set but the browser test cannot run: {reason}"),
        Err(reason) => {
            eprintln!("skipping the browser test: {reason}");
            return;
        }
    };

    // The sandbox and the app, on free ports.
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let credentials = sandbox.paypal().credentials();
    let client = Client::builder()
        .client_id(&credentials.client_id)
        .client_secret(credentials.client_secret.as_str())
        .partner_merchant_id(&credentials.partner_id)
        .bn_code(&credentials.bn_code)
        .environment(paypal_partner::Environment::Custom(
            sandbox.paypal().base_url(),
        ))
        .build()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let app = app::App::new(client, &base, app::demo_sellers()).unwrap();
    let server = tokio::spawn(axum::serve(listener, app::router(app.clone())).into_future());

    // chromedriver, and a browser session with a fresh profile.
    let scratch = tempfile::tempdir().unwrap();
    let profile = scratch.path().join("profile");
    let driver = Chromedriver::start(&driver_path, scratch.path().join("chromedriver.log"));
    let capabilities: Capabilities = serde_json::from_value(json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                format!("--user-data-dir={}", profile.display()),
                "--window-size=1280,900",
            ],
        },
    }))
    .unwrap();
    let browser = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .unwrap_or_else(|e| panic!("no WebDriver session: {e}\n{}", driver.logs()));

    let paypal_origin = sandbox.paypal().base_url().origin();
    let steps = async {
        // The sellers page: press the seller's "Connect with PayPal".
        browser.goto(base.as_str()).await?;
        browser
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id(&format!("connect-{SELLER}")))
            .await?
            .click()
            .await?;

        // PayPal's (the sandbox's) sign-up page: agree with the defaults (a ready seller).
        let complete = browser
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("form button#complete[type=submit]"))
            .await?;
        let signup_url = browser.current_url().await?;
        assert_eq!(signup_url.origin(), paypal_origin, "{signup_url}");
        complete.click().await?;

        // Back on the app: the status page, rendered from the API.
        let verdict = browser
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id("verdict"))
            .await?;
        let verdict = verdict.text().await?;
        let url = browser.current_url().await?;
        let merchant_id = browser
            .find(Locator::Id("merchant-id"))
            .await?
            .text()
            .await?;
        let text = browser.find(Locator::Css("body")).await?.text().await?;
        let screenshot = browser.screenshot().await?;
        Ok::<_, fantoccini::error::CmdError>(Observed {
            url,
            verdict,
            merchant_id,
            text,
            screenshot,
        })
    };
    let observed = steps.await;
    // Close the session before asserting, so that a failure leaves no browser behind.
    let closed = browser.close().await;
    let observed =
        observed.unwrap_or_else(|e| panic!("browser step failed: {e}\n{}", driver.logs()));
    closed.unwrap();

    let artifacts = target_dir().join("artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let screenshot = artifacts
        .canonicalize()
        .unwrap_or(artifacts)
        .join("signup-status.png");
    std::fs::write(&screenshot, &observed.screenshot).unwrap();
    eprintln!("screenshot: {}", screenshot.display());

    assert_eq!(observed.url.origin(), base.origin(), "{}", observed.url);
    assert!(
        observed.url.as_str().starts_with(app.return_url()),
        "{}",
        observed.url
    );
    let merchant_id = sandbox
        .paypal()
        .merchant_id_for(SELLER)
        .expect("the sandbox onboarded the seller");
    assert_eq!(observed.merchant_id, merchant_id);
    assert!(observed.text.contains(&merchant_id), "{}", observed.text);
    assert_eq!(observed.verdict, "ready", "{}", observed.text);
    assert!(observed.screenshot.starts_with(b"\x89PNG"));

    drop(driver);
    server.abort();
    sandbox.shutdown().await;
}
