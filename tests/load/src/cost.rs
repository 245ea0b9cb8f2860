//! What each request cost the servers: their `/metrics` read before and after the pupils run,
//! per route — requests, database queries and query time per request, time in the server per
//! request — and CPU per request (the servers' own counter; PostgreSQL's from /proc readings).

use std::collections::BTreeMap;

/// One server's counters at one moment.
#[derive(Clone, Debug, Default)]
pub struct Scrape {
    /// route → (requests, seconds in the server, queries, seconds in queries)
    pub routes: BTreeMap<String, (f64, f64, f64, f64)>,
    /// Queries made outside any request (background work, streamed page parts).
    pub stray_queries: f64,
    pub cpu_seconds: f64,
}

/// Reads `/metrics` of a server.
pub async fn scrape(client: &reqwest::Client, base_url: &str) -> anyhow::Result<Scrape> {
    let text = client
        .get(format!("{base_url}/metrics"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    Ok(parse(&text))
}

/// Parses the counters this harness uses from Prometheus' text format.
pub fn parse(text: &str) -> Scrape {
    let mut scrape = Scrape::default();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let Ok(value) = value.parse::<f64>() else {
            continue;
        };
        let (name, route) = match series.split_once("{route=\"") {
            Some((name, rest)) => (name, rest.split_once('"').map(|(r, _)| r)),
            None => (series, None),
        };
        if name == "process_cpu_seconds_total" {
            scrape.cpu_seconds = value;
            continue;
        }
        let Some(route) = route else { continue };
        if route == "none" {
            if name == "khien_so_db_queries_total" {
                scrape.stray_queries = value;
            }
            continue;
        }
        let entry = scrape.routes.entry(route.to_owned()).or_default();
        match name {
            "khien_so_http_requests_total" => entry.0 = value,
            "khien_so_http_request_duration_seconds_sum" => entry.1 = value,
            "khien_so_db_queries_total" => entry.2 = value,
            "khien_so_db_query_seconds_total" => entry.3 = value,
            _ => {}
        }
    }
    scrape
}

/// Prints the cost per request between `before` and `after` (one scrape per server, in order),
/// summed over the servers. `postgres_cpu_seconds`: PostgreSQL's CPU over the same time.
pub fn report(title: &str, before: &[Scrape], after: &[Scrape], postgres_cpu_seconds: Option<f64>) {
    let mut routes: BTreeMap<String, (f64, f64, f64, f64)> = BTreeMap::new();
    let mut cpu = 0.0;
    let mut stray = 0.0;
    for (b, a) in before.iter().zip(after) {
        cpu += a.cpu_seconds - b.cpu_seconds;
        stray += a.stray_queries - b.stray_queries;
        for (route, now) in &a.routes {
            let was = b.routes.get(route).copied().unwrap_or_default();
            let slot = routes.entry(route.clone()).or_default();
            slot.0 += now.0 - was.0;
            slot.1 += now.1 - was.1;
            slot.2 += now.2 - was.2;
            slot.3 += now.3 - was.3;
        }
    }
    routes.retain(|route, v| v.0 > 0.0 && route != "GET /metrics");
    println!(
        "\ncost per request {title}, from the servers' /metrics (server time = to the response's head; db = time in queries):"
    );
    println!(
        "{:<34} {:>9} {:>11} {:>12} {:>15}",
        "route", "requests", "queries/req", "db ms/req", "server ms/req"
    );
    let mut requests = 0.0;
    let mut queries = 0.0;
    for (route, (n, seconds, q, q_seconds)) in &routes {
        // Background work counted like a route (the answer writer's batches, one line each) is
        // not a request: its queries count, its runs do not.
        if route.starts_with("GET ") || route.starts_with("POST ") {
            requests += n;
        }
        queries += q;
        println!(
            "{route:<34} {n:>9.0} {:>11.2} {:>12.2} {:>15.2}",
            q / n,
            q_seconds / n * 1000.0,
            seconds / n * 1000.0
        );
    }
    println!(
        "all requests: {requests:.0}, {:.2} queries each (background work's included); queries outside requests: {stray:.0}",
        queries / requests.max(1.0)
    );
    println!(
        "CPU per request: app servers {:.2} ms{}",
        cpu / requests.max(1.0) * 1000.0,
        postgres_cpu_seconds
            .map(|p| format!(", PostgreSQL {:.2} ms", p / requests.max(1.0) * 1000.0))
            .unwrap_or_default()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counters_are_read_per_route() {
        let text = "# HELP x\nkhien_so_http_requests_total{route=\"POST /api/record_answer\"} 10\nkhien_so_http_request_duration_seconds_sum{route=\"POST /api/record_answer\"} 0.5\nkhien_so_http_request_duration_seconds_bucket{route=\"POST /api/record_answer\",le=\"0.1\"} 9\nkhien_so_db_queries_total{route=\"POST /api/record_answer\"} 70\nkhien_so_db_queries_total{route=\"none\"} 4\nkhien_so_db_query_seconds_total{route=\"POST /api/record_answer\"} 0.25\nprocess_cpu_seconds_total 12.5\n";
        let s = parse(text);
        assert_eq!(s.routes["POST /api/record_answer"], (10.0, 0.5, 70.0, 0.25));
        assert_eq!((s.stray_queries, s.cpu_seconds), (4.0, 12.5));
    }
}
