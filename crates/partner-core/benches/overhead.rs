//! The client's overhead over plain reqwest, measured in pairs (`cargo xtask bench overhead`).
//!
//! On a shared machine the speed of the whole host drifts by 10 % and more within seconds, so timing
//! each path in its own window (as criterion does) compares the weather, not the code. Here every
//! round times a block of calls of every path back to back, in a rotating order, and the overhead of
//! a path is the median over rounds of its time divided by raw reqwest's time *in the same round*.
//!
//! Two tables: calls one after another (the latency a single caller sees), and calls spread over 16
//! tasks (requests per second with requests in flight, as a busy service makes them).
//!
//! ```text
//! cargo bench -p partner-core --bench overhead                      # both paired tables
//! cargo bench -p partner-core --bench overhead -- --rounds 200      # more rounds (default 80)
//! cargo bench -p partner-core --bench overhead -- --concurrency 4   # one table, 4 calls in flight
//! cargo bench -p partner-core --bench overhead -- --only partner_core --calls 1000
//! ```
//!
//! `--only` makes a fixed number of calls of one path (one after another unless `--concurrency` is
//! given) and prints nothing else: run it under `valgrind --tool=callgrind` twice with different
//! `--calls` and divide the difference of the instruction totals by the difference of the calls for
//! a per-call count that does not drift (`cargo xtask bench instructions` does exactly that).

mod support;

use std::sync::Arc;
use std::time::Instant;

use support::Path;

struct Options {
    rounds: usize,
    calls_per_round: usize,
    /// Calls in flight: one table per entry.
    concurrency: Vec<usize>,
    only: Option<(Path, usize)>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        rounds: 80,
        calls_per_round: 300,
        concurrency: vec![1, 16],
        only: None,
    };
    let mut only = None;
    let mut calls = 1000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let number = |text: String| {
            text.parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("not a positive number: {text}"))
        };
        match arg.as_str() {
            "--rounds" => options.rounds = number(value("--rounds")?)?,
            "--calls-per-round" => options.calls_per_round = number(value("--calls-per-round")?)?,
            "--concurrency" => options.concurrency = vec![number(value("--concurrency")?)?],
            "--calls" => calls = number(value("--calls")?)?,
            "--only" => {
                let name = value("--only")?;
                only = Some(
                    Path::ALL
                        .into_iter()
                        .find(|p| p.name() == name)
                        .ok_or_else(|| format!("no path named {name}"))?,
                );
            }
            // cargo bench passes `--bench`; criterion-style filters are not used here.
            _ => {}
        }
    }
    options.only = only.map(|p| (p, calls));
    Ok(options)
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

/// Makes `calls` calls of `path`, one after another or spread over `concurrency` tasks, and returns
/// the time per call in µs.
async fn block(
    clients: &Arc<support::Clients>,
    path: Path,
    calls: usize,
    concurrency: usize,
) -> f64 {
    let started = Instant::now();
    let per_task = calls.div_ceil(concurrency);
    if concurrency == 1 {
        for _ in 0..per_task {
            clients.call(path).await;
        }
    } else {
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let clients = clients.clone();
                tokio::spawn(async move {
                    for _ in 0..per_task {
                        clients.call(path).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    }
    started.elapsed().as_secs_f64() * 1e6 / (per_task * concurrency) as f64
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("overhead: {message}");
            std::process::exit(2);
        }
    };
    let (rt, clients) = support::start();
    let clients = Arc::new(clients);

    if let Some((path, calls)) = options.only {
        // The default list starts with 1: calls one after another unless `--concurrency` says.
        rt.block_on(block(&clients, path, calls, options.concurrency[0]));
        return;
    }

    // Warm every path (connections, caches, the CPU's branch predictors) before timing.
    for path in Path::ALL {
        for &concurrency in &options.concurrency {
            rt.block_on(block(&clients, path, options.calls_per_round, concurrency));
        }
    }
    for &concurrency in &options.concurrency {
        table(&rt, &clients, &options, concurrency);
    }
}

/// Runs the rounds at one concurrency and prints their table.
fn table(
    rt: &tokio::runtime::Runtime,
    clients: &Arc<support::Clients>,
    options: &Options,
    concurrency: usize,
) {
    let n = Path::ALL.len();
    let mut per_call: Vec<Vec<f64>> = vec![Vec::with_capacity(options.rounds); n];
    for round in 0..options.rounds {
        for k in 0..n {
            let index = (round + k) % n;
            let time = rt.block_on(block(
                clients,
                Path::ALL[index],
                options.calls_per_round,
                concurrency,
            ));
            per_call[index].push(time);
        }
    }

    let shape = if concurrency == 1 {
        "one after another".to_string()
    } else {
        format!("{concurrency} in flight")
    };
    println!(
        "\n{} rounds of {} calls per path, {shape}, paths interleaved in a rotating order\n",
        options.rounds, options.calls_per_round
    );
    println!(
        "| path | median µs per call | requests per second | vs raw_reqwest (median of per-round ratios, IQR) | vs raw_reqwest_with_timeout |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    let raw = &per_call[0];
    let raw_timeout = &per_call[1];
    for (index, path) in Path::ALL.into_iter().enumerate() {
        let times = sorted(per_call[index].clone());
        let ratio_to = |baseline: &[f64]| {
            sorted(
                per_call[index]
                    .iter()
                    .zip(baseline)
                    .map(|(t, b)| (t / b - 1.0) * 100.0)
                    .collect(),
            )
        };
        let vs_raw = ratio_to(raw);
        let vs_timeout = ratio_to(raw_timeout);
        let median = quantile(&times, 0.5);
        println!(
            "| `{}` | {:.1} | {:.0} | {:+.1} % ({:+.1} to {:+.1}) | {:+.1} % ({:+.1} to {:+.1}) |",
            path.name(),
            median,
            1e6 / median,
            quantile(&vs_raw, 0.5),
            quantile(&vs_raw, 0.25),
            quantile(&vs_raw, 0.75),
            quantile(&vs_timeout, 0.5),
            quantile(&vs_timeout, 0.25),
            quantile(&vs_timeout, 0.75),
        );
    }
}
