#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Per-thread scratch buffers reused from call to call, so that a kernel's large temporaries
/// (im2col columns, Winograd tiles) do not fault in fresh zeroed pages every time. Each thread
/// owns its buffers; a slot names the purpose so one call can hold several at once.
enum Scratch {
    /// The buffers of one thread, by slot.
    final class Buffers {
        var pointers = [UnsafeMutablePointer<Float>?](repeating: nil, count: Slot.allCases.count)
        var capacities = [Int](repeating: 0, count: Slot.allCases.count)
        deinit { for pointer in pointers { pointer?.deallocate() } }
    }

    /// Slots in use: im2col columns; Winograd's transformed tiles, their products, transformed
    /// filter, reordered kernel (the adjoint's) and kernel-gradient sums.
    enum Slot: Int, CaseIterable { case columns = 0, transformed, products, filter, kernel, partial }

    nonisolated(unsafe) static var key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { buffers in
            if let buffers { Unmanaged<Buffers>.fromOpaque(buffers).release() }
        }
        return key
    }()

    /// This thread's buffer for `slot`, with room for at least `count` floats (contents undefined).
    static func buffer(_ slot: Slot, count: Int) -> UnsafeMutablePointer<Float> {
        let buffers: Buffers
        if let existing = pthread_getspecific(key) {
            buffers = Unmanaged<Buffers>.fromOpaque(existing).takeUnretainedValue()
        } else {
            buffers = Buffers()
            pthread_setspecific(key, Unmanaged.passRetained(buffers).toOpaque())
        }
        let index = slot.rawValue
        if buffers.capacities[index] < count {
            buffers.pointers[index]?.deallocate()
            buffers.pointers[index] = UnsafeMutablePointer<Float>.allocate(capacity: count)
            buffers.capacities[index] = count
        }
        return buffers.pointers[index]!
    }
}
