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
        return try ingest(fileDescriptor: fd, name: BatchIngester.recordedName(path), progress: progress)
    }

    /// The name rejects are recorded under: `-`, or the file's absolute, standardised path, so
    /// that `./x`, `x` and `dir/../x` are one file in `ingest_rejects`.
    public static func recordedName(_ path: String) -> String {
        guard path != "-" else { return path }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    /// Ingests NDJSON read from `fd`; `name` is recorded with rejects.
    ///
    /// Pipelined: a reader thread decodes, validates, pseudonymises and redacts chunk n + 1 into
    /// COPY buffers while this thread loads chunk n; at most two chunks wait in between.
    public func ingest(fileDescriptor fd: Int32, name: String, progress: ((IngestSummary) -> Void)? = nil) throws -> IngestSummary {
        let channel = BatchChannel(capacity: 2)
        let reader = ChunkReader(fd: fd, name: name, decoder: decoder, chunkSize: chunkSize, makeBatch: loader.makeBatch)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            reader.run(into: channel)
            finished.signal()
        }
        thread.stackSize = 1 << 22
        thread.start()
        defer {
            channel.cancel()
            finished.wait()
        }
        var summary = IngestSummary()
        while let item = channel.receive() {
            let batch: EventBatch
            switch item {
            case .batch(let b): batch = b
            case .failure(let error): throw error
            }
            let counts = try loader.load(batch, file: name)
            summary.received += batch.lines
            summary.inserted += counts.inserted
            summary.duplicates += counts.duplicates
            summary.rejected += batch.validationRejects + counts.refused
            progress?(summary)
        }
        return summary
    }
}

/// A bounded hand-over of filled batches from the reader thread to the loading thread.
final class BatchChannel: @unchecked Sendable {
    enum Item { case batch(EventBatch), failure(any Error) }
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var closed = false
    private var cancelled = false
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Blocks while full; false when the consumer has gone away.
    func send(_ item: Item) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(item)
        condition.broadcast()
        return true
    }

    /// No more items will be sent.
    func close() {
        condition.lock(); defer { condition.unlock() }
        closed = true
        condition.broadcast()
    }

    /// The consumer stops: wakes and stops the producer.
    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        queue.removeAll()
        condition.broadcast()
    }

    var isCancelled: Bool {
        condition.lock(); defer { condition.unlock() }
        return cancelled
    }

    /// The next item, or nil once closed and drained.
    func receive() -> Item? {
        condition.lock(); defer { condition.unlock() }
        while queue.isEmpty && !closed && !cancelled { condition.wait() }
        if queue.isEmpty { return nil }
        let item = queue.removeFirst()
        condition.broadcast()
        return item
    }
}

/// Reads lines from a file descriptor, validates them and fills batches of `chunkSize` lines.
final class ChunkReader: @unchecked Sendable {
    let fd: Int32
    let name: String
    let decoder: EventDecoder
    let chunkSize: Int
    let makeBatch: () -> EventBatch

    init(fd: Int32, name: String, decoder: EventDecoder, chunkSize: Int, makeBatch: @escaping () -> EventBatch) {
        self.fd = fd
        self.name = name
        self.decoder = decoder
        self.chunkSize = chunkSize
        self.makeBatch = makeBatch
    }

    struct Stopped: Error {}

    func run(into channel: BatchChannel) {
        do {
            try readLines(into: channel)
        } catch is Stopped {
        } catch {
            _ = channel.send(.failure(error))
        }
        channel.close()
    }

    private func readLines(into channel: BatchChannel) throws {
        var batch = makeBatch()
        var lineNumber = 0
        let limit = decoder.maximumLineLength
        let readLimit = limit + 1        // room for the CR of a CRLF line of exactly `limit` bytes
        let readSize = 1 << 20
        var readBuffer = [UInt8](repeating: 0, count: readSize)
        var carry: [UInt8] = []          // an incomplete line from the previous read
        var overflowLength = 0           // > 0 while skipping the rest of a too-long line

        func emit() throws {
            guard batch.lines > 0 else { return }
            guard channel.send(.batch(batch)) else { throw Stopped() }
            batch = makeBatch()
        }

        func handle(_ line: UnsafeBufferPointer<UInt8>, fullLength: Int) throws {
            lineNumber += 1
            var end = line.count
            var fullLength = fullLength
            if end > 0, line[end - 1] == 0x0D {  // CRLF: the CR is not content
                end -= 1
                if fullLength == line.count { fullLength -= 1 }
            }
            var start = 0
            if lineNumber == 1, end >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF { start = 3 }  // UTF-8 BOM
            let content = UnsafeBufferPointer(rebasing: line[start..<end])
            if fullLength <= limit, content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }  // blank
            batch.lines += 1
            if fullLength > limit {
                let rejection = RecordRejection([FieldError(field: "line", kind: .lineTooLong,
                    detail: "expected at most \(limit) bytes, got \(fullLength)")])
                batch.appendReject(file: name, line: lineNumber, rejection: rejection, raw: content)
                batch.validationRejects += 1
            } else {
                switch decoder.decode(line: content) {
                case .success(let event):
                    batch.append(event, line: lineNumber, raw: content)
                case .failure(let rejection):
                    batch.appendReject(file: name, line: lineNumber, rejection: rejection, raw: content)
                    batch.validationRejects += 1
                }
            }
            if batch.lines >= chunkSize { try emit() }
        }

        while true {
            if channel.isCancelled { throw Stopped() }
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
                        } else if carry.count + rest.count > readLimit {
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
                        if full > readLimit { carry.removeSubrange(min(carry.count, EventBatch.maximumStoredRawLine)...) }
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
        try emit()
    }
}

/// The input of an ingest run cannot be read.
public struct IngestError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
