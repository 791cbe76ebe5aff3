/// Stage parameters by the spec keys people write: a stage's parameters wrap the spec's sections
/// in their own fields (`model.section.blocks`, `validation_fraction`), and what `plan` says
/// changed must name the key to edit (`model.blocks`, `dataset.validation_fraction`).
enum SpecKeyNames {
    /// The spec key a dotted stage-parameter path comes from (the path itself when it is one).
    static func specKey(_ parameterPath: String) -> String {
        for (prefix, key) in renamed where parameterPath == prefix || parameterPath.hasPrefix(prefix + ".") {
            return key + parameterPath.dropFirst(prefix.count)
        }
        return parameterPath
    }

    /// Parameter fields and the spec keys they carry, longest first.
    static let renamed: [(String, String)] = [
        ("model.section", "model"),
        ("model.graph_text", "model.graph (the graph file's text)"),
        ("validation_fraction", "dataset.validation_fraction"),
        ("holdout.count", "calibrate.speakers"),
        ("holdout.seed", "seed"),
        ("validation.count", "finetune.validation_speakers"),
        ("validation.seed", "seed"),
        ("cohort_holdout.count", "calibrate.speakers"),
        ("enrolment", "evaluate.enrolment"),
        ("screening", "features"),
    ]
}
