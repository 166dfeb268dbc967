import Foundation

/// Debian's `chromium` in headless mode (`--no-sandbox`, as tests run as root), for checking
/// what a browser makes of the report: its DOM after parsing and a screenshot.
struct HeadlessChromium {
    let executable: URL

    /// The browser on PATH (`chromium`, `chromium-browser`), or nil.
    static func find() -> HeadlessChromium? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin"] {
            for name in ["chromium", "chromium-browser"] {
                let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return HeadlessChromium(executable: url) }
            }
        }
        return nil
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    private func run(_ arguments: [String], profile: URL) throws -> Data {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--hide-scrollbars"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Read while it runs (a large DOM would fill the pipe); stop a browser that hangs.
        let deadline = DispatchTime.now() + .seconds(120)
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: deadline, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "chromium \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return data
    }

    /// The serialized DOM after the page loaded.
    func dumpDOM(_ page: URL, profile: URL) throws -> String {
        String(decoding: try run(["--dump-dom", page.absoluteString], profile: profile), as: UTF8.self)
    }

    /// A 1200×1600 PNG of the page.
    func screenshot(_ page: URL, to png: URL, profile: URL) throws -> Data {
        _ = try run(["--screenshot=\(png.path)", "--window-size=1200,1600", page.absoluteString], profile: profile)
        return try Data(contentsOf: png)
    }
}

/// What a PNG holds, read from its chunks: the size (IHDR) and its compressed image data (IDAT).
struct PNGSummary {
    var width = 0, height = 0
    var imageDataBytes = 0
    /// How many of the 256 byte values occur in the image data.
    var distinctIDATBytes = 0

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw HeadlessChromium.Failure(description: "not a PNG file (\(bytes.count) bytes)")
        }
        func u32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        var seen = Set<UInt8>()
        var i = 8
        while i + 8 <= bytes.count {
            let length = u32(i), type = String(decoding: bytes[i + 4..<i + 8], as: UTF8.self)
            guard i + 12 + length <= bytes.count else { break }
            if type == "IHDR" { width = u32(i + 8); height = u32(i + 12) }
            if type == "IDAT" { imageDataBytes += length; seen.formUnion(bytes[i + 8..<i + 8 + length]) }
            i += 12 + length
        }
        distinctIDATBytes = seen.count
    }
}
