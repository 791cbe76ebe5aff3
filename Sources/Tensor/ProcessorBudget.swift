import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How many CPUs this process may use: the CPUs in its affinity mask, capped by its cgroup's CPU
/// quota (rounded up). A Slurm job given `--cpus-per-task=8` on a 64-core node gets 8, where
/// `activeProcessorCount` would say 64.
public enum ProcessorBudget {
    /// CPUs available to this process (at least 1).
    public static var available: Int {
        let affinity = affinityCount ?? ProcessInfo.processInfo.activeProcessorCount
        let quota = cgroupQuota.map { Int(($0).rounded(.up)) } ?? affinity
        return max(1, min(affinity, quota))
    }

    /// CPUs in the affinity mask (`Cpus_allowed_list` in /proc/self/status, e.g. "0-3,8"), or nil
    /// where it cannot be read.
    public static var affinityCount: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
        return cpuListCount(String(line.dropFirst("Cpus_allowed_list:".count)))
    }

    /// The number of CPUs in a Linux CPU list ("0-3,8,10-11" → 7); nil if it is malformed.
    public static func cpuListCount(_ list: String) -> Int? {
        var count = 0
        for part in list.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            switch bounds.count {
            case 1: guard bounds[0] != nil else { return nil }; count += 1
            case 2: guard let low = bounds[0], let high = bounds[1], high >= low else { return nil }; count += high - low + 1
            default: return nil
            }
        }
        return count > 0 ? count : nil
    }

    /// The cgroup CPU quota in CPUs (quota ÷ period), or nil when there is none: cgroup v2's
    /// `cpu.max` along this process's cgroup path up to the root (the smallest limit wins), or
    /// cgroup v1's `cpu.cfs_quota_us` / `cpu.cfs_period_us`.
    public static var cgroupQuota: Double? {
        var limits: [Double] = []
        if let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) {
            for line in membership.split(separator: "\n") where line.hasPrefix("0::") {
                var path = String(line.dropFirst(3))
                while true {
                    if let limit = cpuMax("/sys/fs/cgroup" + (path == "/" ? "" : path) + "/cpu.max") { limits.append(limit) }
                    if path == "/" || path.isEmpty { break }
                    path = (path as NSString).deletingLastPathComponent
                }
            }
        }
        if limits.isEmpty, let quota = number("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") ?? number("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"),
           quota > 0, let period = number("/sys/fs/cgroup/cpu/cpu.cfs_period_us") ?? number("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us"), period > 0 {
            limits.append(quota / period)
        }
        return limits.min()
    }

    /// `cpu.max` holds "max 100000" (no limit) or "QUOTA PERIOD".
    static func cpuMax(_ path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let quota = Double(fields[0]), let period = Double(fields[1]), quota > 0, period > 0 else { return nil }
        return quota / period
    }

    static func number(_ path: String) -> Double? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
