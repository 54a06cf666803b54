import Dispatch
import Foundation

/// Runs async work (postgres-nio's `COPY`, which has only an async API) from synchronous code without
/// touching Swift's cooperative thread pool: the task prefers this executor, which runs its jobs on one
/// dispatch queue, and the caller waits on a semaphore. Blocking a cooperative thread instead could
/// starve the pool (two threads on a two-core machine) while tests run in parallel.
final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = BlockingExecutor()
    private let queue = DispatchQueue(label: "regtab.database")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    /// Runs `body` to completion and returns its result; must not be called from the executor's own queue.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: self) {
            do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try box.get()
    }
}

/// A result handed from a task to a waiting thread.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    func set(_ r: Result<T, any Error>) { lock.lock(); result = r; lock.unlock() }
    func get() throws -> T {
        lock.lock(); defer { lock.unlock() }
        return try result!.get()
    }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return result != nil }
}
