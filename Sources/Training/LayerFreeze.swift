import NN

/// Layers held fixed for the first part of a training stage (`freeze:` and `freeze_for:`), as
/// one fine-tunes a pretrained network: their parameters get no update and no weight decay while
/// the freeze lasts; batch-norm running statistics still follow the data.
public struct LayerFreeze: Equatable, Sendable, Codable {
    /// Layer names as `model summary` prints them (`conv`, `batch_normalization_1`), or prefixes
    /// ending in `*` (`conv*`: every convolution).
    public var names: [String]
    /// Epochs (pretraining) or steps (fine-tuning) the freeze lasts; nil: the whole stage.
    public var duration: Int?

    /// A freeze of the named layers.
    public init(names: [String], duration: Int?) {
        self.names = names
        self.duration = duration
    }

    /// Whether a parameter is one the freeze names.
    public func holds(_ parameter: Parameter) -> Bool {
        names.contains { Self.matches($0, layer: String(parameter.name.prefix { $0 != "." })) }
    }

    /// Whether a freeze entry names a layer.
    public static func matches(_ entry: String, layer: String) -> Bool {
        entry.hasSuffix("*") ? layer.hasPrefix(String(entry.dropLast())) : layer == entry
    }

    /// The parameters to update at `time` (an epoch or a step, counted from 0).
    public func trainable(_ parameters: [Parameter], at time: Int) -> [Parameter] {
        if let duration, time >= duration { return parameters }
        return parameters.filter { !holds($0) }
    }
}
