/// Column headings for metric names, with the parameters each metric was computed with.
public enum MetricHeading {
    /// The heading of a metric column: `min_dcf_p0.01` → `minDCF (P_tar=0.01)`; unknown names unchanged.
    public static func heading(_ name: String) -> String {
        if name.hasSuffix("_calibrated") { return heading(String(name.dropLast("_calibrated".count))) + ", calibrated" }
        switch name {
        case "cllr_raw": return "Cllr (raw cosine as LLR)"
        case "eer": return "EER"
        case "auc": return "AUC"
        case "ap": return "AP"
        case "cllr": return "Cllr"
        case "eer_seed": return "EER (seed)"
        case "acc_seed": return "accuracy (seed, EER threshold)"
        case "pr_auc_seed": return "PR-AUC (seed)"
        default: break
        }
        for (prefix, title) in [("min_dcf_p", "minDCF"), ("act_dcf_p", "actDCF")] where name.hasPrefix(prefix) {
            return "\(title) (P_tar=\(name.dropFirst(prefix.count)), C_miss=C_fa=1)"
        }
        if name.hasPrefix("si_top"), let k = Int(name.dropFirst("si_top".count)) { return "SI top-\(k)" }
        return name
    }

    /// A short heading for narrow tables: `min_dcf_p0.01` → `minDCF 0.01`, `si_top1` → `SI top-1`.
    public static func short(_ name: String) -> String {
        if name.hasSuffix("_calibrated") { return short(String(name.dropLast("_calibrated".count))) + " cal." }
        for (prefix, title) in [("min_dcf_p", "minDCF"), ("act_dcf_p", "actDCF")] where name.hasPrefix(prefix) {
            return "\(title) \(name.dropFirst(prefix.count))"
        }
        return heading(name)
    }
}
