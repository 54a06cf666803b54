import ArgumentParser
import Foundation

// The one mapping from errors to exit codes, for every command: anything that stops a run — an input,
// definition, rule or database error, a refused data check — is printed once as `error: …` on standard
// error and exits with 2; a usage mistake stays ArgumentParser's (`ValidationError`, exit 64); `regtab check`
// exits 1 for warnings; 0 is success.

/// Prints `error: message` and returns the exit code of a stopped run (2), to throw.
func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(2)
}

/// Runs `body`; an error other than an exit code or a usage error is printed and becomes exit code 2.
func exitingOnError<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ExitCode { throw e } catch let e as ValidationError { throw e } catch { throw fail("\(error)") }
}
