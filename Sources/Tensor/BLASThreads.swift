internal import COpenBLAS

/// The thread count OpenBLAS uses for every GEMM in this process.
public enum BLASThreads {
    /// The number of threads OpenBLAS currently runs a GEMM on.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS runs a GEMM on (at least 1).
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The OpenBLAS build configuration string (version, kernel, threading model).
    public static var configuration: String { String(cString: openblas_get_config()) }
}
