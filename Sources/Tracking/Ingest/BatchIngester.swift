import Foundation
import Store

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of one `ail ingest` run. Always `inserted + duplicates + rejected == received`.
public struct IngestSummary: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Non-blank lines read.
    public var received = 0
    /// Events stored by this run.
    public var inserted = 0
    /// Valid events already stored (same `event_id`), by an earlier run or earlier in this file.
    public var duplicates = 0
    /// Lines refused, each written to `ingest_rejects` with its reason.
    public var rejected = 0

    public init(received: Int = 0, inserted: Int = 0, duplicates: Int = 0, rejected: Int = 0) {
        self.received = received
        self.inserted = inserted
        self.duplicates = duplicates
        self.rejected = rejected
    }

    public var description: String {
        "received \(received), inserted \(inserted), duplicates \(duplicates), rejected \(rejected)"
    }
}

/// Reads NDJSON (one event per line), validates each line and loads the valid ones through an
/// `EventLoader`, committing every `chunkSize` lines.
///
/// A run killed half way leaves only whole committed chunks behind; running it again skips
/// their events as duplicates (and their rejects, which are keyed by file, line and content),
/// so the second run ends with exact counts. Blank lines are skipped and not counted.
public final class BatchIngester {
    public let loader: EventLoader
    public var decoder: EventDecoder
    /// Lines per transaction.
    public var chunkSize: Int

    public init(loader: EventLoader, decoder: EventDecoder = EventDecoder(), chunkSize: Int = 20_000) {
        self.loader = loader
        self.decoder = decoder
        self.chunkSize = chunkSize
    }

    /// Ingests the file at `path` (`-` for standard input).
    /// - Parameter progress: called after every committed chunk with the running totals.
    public func ingest(path: String, progress: ((IngestSummary) -> Void)? = nil) throws -> IngestSummary {
        let fd: Int32
        if path == "-" {
            fd = STDIN_FILENO
        } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw IngestError(message: "cannot open \(path): \(String(cString: strerror(errno)))")
            }
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        return try ingest(fileDescriptor: fd, name: path, progress: progress)
    }

    /// Ingests NDJSON read from `fd`; `name` is recorded with rejects.
    public func ingest(fileDescriptor fd: Int32, name: String, progress: ((IngestSummary) -> Void)? = nil) throws -> IngestSummary {
        var summary = IngestSummary()
        var linesInChunk = 0
        var lineNumber = 0
        let limit = decoder.maximumLineLength
        let readSize = 1 << 20
        var readBuffer = [UInt8](repeating: 0, count: readSize)
        var carry: [UInt8] = []          // an incomplete line from the previous read
        var overflowLength = 0           // > 0 while skipping the rest of a too-long line

        func flushChunk() throws {
            let counts: LoadCounts
            do {
                counts = try loader.flush(file: name)
            } catch {
                loader.discardPending()
                throw error
            }
            summary.inserted += counts.inserted
            summary.duplicates += counts.duplicates
            summary.rejected += counts.refused
            linesInChunk = 0
            progress?(summary)
        }

        func handle(_ line: UnsafeBufferPointer<UInt8>, fullLength: Int) throws {
            lineNumber += 1
            var end = line.count
            if end > 0, line[end - 1] == 0x0D { end -= 1 }  // CRLF
            let content = UnsafeBufferPointer(rebasing: line[0..<end])
            if fullLength <= limit, content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }  // blank
            summary.received += 1
            linesInChunk += 1
            if fullLength > limit {
                let rejection = RecordRejection([FieldError(field: "line", kind: .lineTooLong,
                    detail: "expected at most \(limit) bytes, got \(fullLength)")])
                loader.appendReject(file: name, line: lineNumber, rejection: rejection, raw: content)
                summary.rejected += 1
            } else {
                switch decoder.decode(line: content) {
                case .success(let event):
                    loader.append(event, line: lineNumber, raw: content)
                case .failure(let rejection):
                    loader.appendReject(file: name, line: lineNumber, rejection: rejection, raw: content)
                    summary.rejected += 1
                }
            }
            if linesInChunk >= chunkSize { try flushChunk() }
        }

        while true {
            let n = readBuffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, readSize) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError(message: "reading \(name): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            try readBuffer.withUnsafeBufferPointer { all in
                let bytes = UnsafeBufferPointer(rebasing: all[0..<n])
                var start = 0
                while start < n {
                    guard let newline = bytes[start...].firstIndex(of: 0x0A) else {
                        // No newline in the rest: keep it for the next read (bounded for too-long lines).
                        let rest = UnsafeBufferPointer(rebasing: bytes[start..<n])
                        if overflowLength > 0 {
                            overflowLength += rest.count
                        } else if carry.count + rest.count > limit {
                            overflowLength = carry.count + rest.count
                            carry.append(contentsOf: rest.prefix(max(0, EventBatch.maximumStoredRawLine - carry.count)))
                        } else {
                            carry.append(contentsOf: rest)
                        }
                        break
                    }
                    let piece = UnsafeBufferPointer(rebasing: bytes[start..<newline])
                    if overflowLength > 0 {
                        let full = overflowLength + piece.count
                        overflowLength = 0
                        try carry.withUnsafeBufferPointer { try handle($0, fullLength: full) }
                        carry.removeAll(keepingCapacity: true)
                    } else if !carry.isEmpty {
                        carry.append(contentsOf: piece)
                        let full = carry.count
                        if full > limit { carry.removeSubrange(min(carry.count, EventBatch.maximumStoredRawLine)...) }
                        try carry.withUnsafeBufferPointer { try handle($0, fullLength: full) }
                        carry.removeAll(keepingCapacity: true)
                    } else {
                        try handle(piece, fullLength: piece.count)
                    }
                    start = newline + 1
                }
            }
        }
        // A last line without a newline still counts.
        if overflowLength > 0 || !carry.isEmpty {
            let full = overflowLength > 0 ? overflowLength : carry.count
            try carry.withUnsafeBufferPointer { try handle($0, fullLength: full) }
        }
        if linesInChunk > 0 || loader.pendingEvents > 0 || loader.pendingRejects > 0 { try flushChunk() }
        return summary
    }
}

/// The input of an ingest run cannot be read.
public struct IngestError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
