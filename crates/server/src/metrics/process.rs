//! The process's own metrics under their usual names (`process_cpu_seconds_total`,
//! `process_resident_memory_bytes`, …, as every Prometheus client exposes them), so
//! standard dashboards work. Read from `/proc/self` at each scrape on Linux; elsewhere,
//! or when a file cannot be read, the series it would give are left out.

use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Registry;

/// What the process uses now.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcessSample {
    /// User and system CPU time.
    pub cpu_seconds: Option<f64>,
    /// Resident memory.
    pub resident_bytes: Option<u64>,
    /// Virtual memory.
    pub virtual_bytes: Option<u64>,
    /// File descriptors open.
    pub open_fds: Option<u64>,
    /// The soft limit on open file descriptors.
    pub max_fds: Option<u64>,
    /// When the process started, in seconds since the Unix epoch.
    pub start_time_seconds: Option<f64>,
}

/// Registers in `registry` what [`read`] could read.
pub fn sample(registry: &mut Registry) {
    let now = read();
    if let Some(seconds) = now.cpu_seconds {
        registry.register(
            "process_cpu_seconds",
            "Total user and system CPU time spent in seconds",
            ConstCounter::new(seconds),
        );
    }
    let gauges = [
        (
            "process_resident_memory_bytes",
            "Resident memory size in bytes",
            now.resident_bytes,
        ),
        (
            "process_virtual_memory_bytes",
            "Virtual memory size in bytes",
            now.virtual_bytes,
        ),
        (
            "process_open_fds",
            "Number of open file descriptors",
            now.open_fds,
        ),
        (
            "process_max_fds",
            "Maximum number of open file descriptors",
            now.max_fds,
        ),
    ];
    for (name, help, value) in gauges {
        if let Some(value) = value {
            registry.register(name, help, ConstGauge::new(value as i64));
        }
    }
    if let Some(seconds) = now.start_time_seconds {
        registry.register(
            "process_start_time_seconds",
            "Start time of the process since unix epoch in seconds",
            ConstGauge::new(seconds),
        );
    }
}

/// The process's numbers now, those that this platform tells.
pub fn read() -> ProcessSample {
    use std::fs;
    if !cfg!(target_os = "linux") {
        return ProcessSample::default();
    }
    let stat = fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|text| Stat::parse(&text));
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let boot_time = fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|text| field(&text, "btime"));
    ProcessSample {
        cpu_seconds: stat.map(|s| (s.utime + s.stime) as f64 / USER_HZ),
        resident_bytes: field(&status, "VmRSS:").map(|kib| kib * 1024),
        virtual_bytes: field(&status, "VmSize:").map(|kib| kib * 1024),
        open_fds: fs::read_dir("/proc/self/fd")
            .ok()
            .map(|dir| dir.count() as u64),
        max_fds: fs::read_to_string("/proc/self/limits")
            .ok()
            .and_then(|text| max_open_files(&text)),
        start_time_seconds: stat
            .zip(boot_time)
            .map(|(s, boot)| boot as f64 + s.starttime as f64 / USER_HZ),
    }
}

/// Clock ticks per second of `/proc`'s times: fixed at 100 for user space on the
/// architectures Linux runs on here (the Prometheus project's own `procfs` assumes
/// the same rather than asking `sysconf`).
const USER_HZ: f64 = 100.0;

/// The fields of `/proc/self/stat` read here, in clock ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    utime: u64,
    stime: u64,
    /// Since boot.
    starttime: u64,
}

impl Stat {
    /// Parses `pid (comm) state ppid …`: the command may hold spaces and
    /// parentheses, so fields are counted from the last `)`.
    fn parse(text: &str) -> Option<Stat> {
        let after_command = &text[text.rfind(')')? + 1..];
        let fields: Vec<&str> = after_command.split_whitespace().collect();
        // `fields[0]` is field 3 of proc(5), the state.
        let numbered = |n: usize| fields.get(n - 3)?.parse().ok();
        Some(Stat {
            utime: numbered(14)?,
            stime: numbered(15)?,
            starttime: numbered(22)?,
        })
    }
}

/// The number after `key` on the line that starts with it (`VmRSS:   1234 kB`).
fn field(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
}

/// The soft limit of `Max open files` in `/proc/self/limits` (`None` when unlimited).
fn max_open_files(limits: &str) -> Option<u64> {
    limits
        .lines()
        .find_map(|line| line.strip_prefix("Max open files"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_count_from_the_last_parenthesis() {
        let line = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 500 0 0 0 \
                    250 75 0 0 20 0 8 0 123456 1000000 2000 18446744073709551615";
        assert_eq!(
            Stat::parse(line),
            Some(Stat {
                utime: 250,
                stime: 75,
                starttime: 123456
            })
        );
        assert_eq!(Stat::parse("4242 (cut short) S 1"), None);
    }

    #[test]
    fn status_and_limits_lines_are_read_by_key() {
        let status = "Name:\tbackissue\nVmSize:\t  204800 kB\nVmRSS:\t   51200 kB\n";
        assert_eq!(field(status, "VmRSS:"), Some(51200));
        assert_eq!(field(status, "VmSwap:"), None);
        let limits = "Limit                     Soft Limit           Hard Limit           Units\n\
                      Max open files            1024                 1048576              files\n";
        assert_eq!(max_open_files(limits), Some(1024));
        let unlimited =
            "Max open files            unlimited            unlimited            files\n";
        assert_eq!(max_open_files(unlimited), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_is_measured_on_linux() {
        let now = read();
        assert!(now.cpu_seconds.is_some_and(|s| s >= 0.0));
        assert!(now.resident_bytes.is_some_and(|b| b > 0));
        assert!(now.open_fds.is_some_and(|n| n > 0));
        let started = now.start_time_seconds.expect("a start time");
        let epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        assert!(
            started <= epoch + 1.0 && started > epoch - 86_400.0 * 365.0,
            "{started}"
        );
        let mut registry = Registry::default();
        sample(&mut registry);
        let mut text = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut text, &registry).unwrap();
        for name in [
            "process_cpu_seconds_total ",
            "process_resident_memory_bytes ",
            "process_open_fds ",
            "process_start_time_seconds ",
        ] {
            assert!(text.contains(name), "{name:?} missing from\n{text}");
        }
    }
}
