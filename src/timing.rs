//! Timing: with `SKILLBOOK_TIMINGS` set, each stage of a build prints its wall time, CPU
//! time and memory (HACKING.md, docs/performance.md). A leaf: it uses no other module.

use std::time::{Duration, Instant};

/// The start of a stage, for [`phase`]: wall-clock time and the CPU time the process has
/// used so far (all threads, user and kernel).
#[derive(Clone, Copy)]
pub(crate) struct Mark {
    wall: Instant,
    cpu: Duration,
}

impl Mark {
    pub(crate) fn now() -> Self {
        Self { wall: Instant::now(), cpu: cpu_time() }
    }
}

/// CPU time used by the whole process so far (zero where it cannot be read).
fn cpu_time() -> Duration {
    #[cfg(target_os = "linux")]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
        // SAFETY: getrusage fills the struct it is given and returns 0 when it did.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } == 0 {
            // SAFETY: filled by the successful call above.
            let usage = unsafe { usage.assume_init() };
            let time = |t: libc::timeval| {
                Duration::new(u64::try_from(t.tv_sec).unwrap_or(0), u32::try_from(t.tv_usec).unwrap_or(0) * 1000)
            };
            return time(usage.ru_utime) + time(usage.ru_stime);
        }
    }
    Duration::ZERO
}

/// With `SKILLBOOK_TIMINGS` set, prints how long a stage took, the CPU time it used on all
/// cores (which shows how parallel it was) and, on Linux, the memory in use and the peak so
/// far (for profiling builds).
pub(crate) fn phase(name: &str, since: Mark) {
    if std::env::var_os("SKILLBOOK_TIMINGS").is_some() {
        let cpu = cpu_time().saturating_sub(since.cpu);
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |key: &str| {
            status.lines().find_map(|l| l.strip_prefix(key)).map_or(String::new(), |v| {
                let kib: u64 = v.trim().trim_end_matches(" kB").parse().unwrap_or(0);
                format!("{} MiB", kib / 1024)
            })
        };
        let memory = if status.is_empty() {
            String::new()
        } else {
            format!(", memory {}, peak {}", field("VmRSS:"), field("VmHWM:"))
        };
        eprintln!(
            "  {name}: {:.1} ms (CPU {:.1} ms{memory})",
            since.wall.elapsed().as_secs_f64() * 1000.0,
            cpu.as_secs_f64() * 1000.0
        );
    }
}
