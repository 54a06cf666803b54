import Foundation

/// A value computed on its own thread while the caller goes on: the data check beside the engine, input
/// hashing beside parsing. `value()` waits for it and rethrows its error. The thread gets a large stack,
/// like the main thread, because the readers recurse into closures per record.
public final class Background<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    public init(_ work: @escaping () throws -> T) {
        nonisolated(unsafe) let work = work
        let thread = Thread { [self] in
            result = Result { try work() }
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Waits for the work (once; later calls return the same result at once).
    public func value() throws -> T {
        done.wait()
        defer { done.signal() }
        return try result!.get()
    }

    /// Waits for the work and hands its result over, keeping no reference to it: a large result's memory
    /// is then freed as soon as its new owner lets it go. Only once, and never after `value()`.
    public func take() throws -> T {
        done.wait()
        let taken = result!
        result = nil
        return try taken.get()
    }
}
