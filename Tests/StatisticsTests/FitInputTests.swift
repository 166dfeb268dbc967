import ArgumentParser
import Foundation
import Testing
@testable import AILCommandLine
@testable import Statistics
import Primitives

/// Issue 10's fit items: formulas R users write, inputs that must be refused with a reason, and
/// failures that keep their kind.
@Suite struct FitInputTests {
    static func failure(_ arguments: [String]) -> (message: String, error: Error?) {
        do {
            _ = try FitCommandTests.render(arguments)
            return ("no error", nil)
        } catch {
            return (AIL.message(for: error), error)
        }
    }

    /// `a*b`, `(a + b)^2`, `log`, `exp`, `sqrt` and backticks expand as in R.
    @Test func formulaSyntaxOfR() throws {
        #expect(try Formula("y ~ a*b").terms == [[.numeric("a")], [.numeric("b")], [.numeric("a"), .numeric("b")]])
        #expect(try Formula("y ~ (a + b + c)^2").terms.count == 6)
        #expect(try Formula("y ~ (a + b)^2 - 1").terms == [[.numeric("a")], [.numeric("b")], [.numeric("a"), .numeric("b")]])
        #expect(try Formula("y ~ log(x) + exp(z) + sqrt(w)").terms
                == [[.transformed(.log, "x")], [.transformed(.exp, "z")], [.transformed(.sqrt, "w")]])
        let spaced = try Formula("`time on task` ~ `lines added` + C(`tool name`)")
        #expect(spaced.response == "time on task")
        #expect(spaced.terms == [[.numeric("lines added")], [.categorical("tool name")]])
        #expect(try Formula("I(y == \"yes\") ~ x").responseFactor == .indicator("y", "yes"))
        for (bad, named) in [("y ~ poly(x, 2)", "'poly()' is not supported"), ("y ~ a %in% b", "'%in%' is not supported"),
                             ("y ~ a / b", "'/' is not supported"), ("y ~ x | g", "'|' is not supported"),
                             ("y ~ offset(x)", "'offset()' is not supported")] {
            do { _ = try Formula(bad); Issue.record("\(bad) accepted") } catch let e as NumericsError {
                #expect(e.code == .badFormula && e.message.contains(named), "\(bad): \(e.message)")
            }
        }
    }

    /// log(x) in the formula fits exactly what a precomputed log column fits; a*b equals a + b + a:b.
    @Test func transformsAndProductsFitLikeTheirExpansion() throws {
        var csv = "y,x,a,b,logx\n"
        var rng = SplitMix64(seed: 3)
        for _ in 0..<60 {
            let x = 0.5 + Double(rng.next() % 1000) / 100, a = Double(rng.next() % 50) / 10, b = Double(rng.next() % 30) / 7
            csv += "\(1 + 2 * log(x) + a * b + Double(rng.next() % 100) / 100),\(x),\(a),\(b),\(log(x))\n"
        }
        let data = try DataFrame(csv: csv)
        func coefficients(_ f: String) throws -> [Double] {
            let m = try ModelFrame(data: data, formula: try Formula(f))
            return try LinearRegression.fit(x: m.x, y: m.y, termNames: m.termNames).coefficients
        }
        for (p, q) in zip(try coefficients("y ~ log(x) + a*b"), try coefficients("y ~ logx + a + b + a:b")) {
            #expect(relErr(p, q) < 1e-12)
        }
        #expect(try ModelFrame(data: data, formula: try Formula("y ~ a*b")).termNames == ["a", "b", "a:b"])
        let negative = try DataFrame(csv: "y,x\n1,2\n2,-1\n3,4\n")
        #expect(throws: NumericsError.self) { try ModelFrame(data: negative, formula: try Formula("y ~ log(x)")) }
    }

    /// A bad formula is a usage error (64), not a data error.
    @Test func badFormulaIsAUsageError() throws {
        let csv = try FitCommandTests.tempCSV("y,x\n1,2\n2,3\n4,5\n")
        let (message, error) = Self.failure(["fit", "linear", "--data", csv, "--formula", "y ~ poly(x, 2)"])
        let e = try #require(error as? NumericsError)
        #expect(FailureReport.exitCode(for: e) == 64 && message.contains("not supported"))
        let (_, unknown) = Self.failure(["fit", "linear", "--data", csv, "--formula", "y ~ z"])
        #expect((unknown as? NumericsError).map { FailureReport.exitCode(for: $0) } == 64)
    }

    /// A NUL byte inside a numeric field is refused (it used to read as the number before it).
    @Test func nulInsideANumberIsRefused() throws {
        let data = try DataFrame(csv: "y,x\n1,2\n2,3\u{0}9\n4,5\n")
        do {
            _ = try ModelFrame(data: data, formula: try Formula("y ~ x"))
            Issue.record("a NUL inside a number was accepted")
        } catch let e as NumericsError {
            #expect(e.message.contains("row 3") && e.message.contains("NUL"), "\(e.message)")
        }
    }

    /// C(a):C(b):C(c) on 200 rows would be 200³ columns: refused at once, with the reason.
    @Test func designWiderThanItsRowsIsRefusedBeforeItIsBuilt() throws {
        var csv = "y,a,b,c\n"
        for i in 0..<200 { csv += "\(i % 2),a\(i),b\(i),c\(i)\n" }
        let data = try DataFrame(csv: csv)
        do {
            _ = try ModelFrame(data: data, formula: try Formula("y ~ C(a):C(b):C(c)"))
            Issue.record("a 200³-column design was accepted")
        } catch let e as NumericsError {
            #expect(e.message.contains("only 200 rows") && e.message.contains("C(a):C(b):C(c)")
                    && e.message.contains("200 × 200 × 200"), "\(e.message)")
        }
    }

    /// Unknown --weights and --cluster columns are named as such, with exit 64.
    @Test func unknownWeightsOrClusterColumn() throws {
        let csv = try FitCommandTests.tempCSV("y,x\n1,2\n2,3\n4,5\n3,3\n")
        for (option, role) in [("--weights", "weights"), ("--cluster", "cluster")] {
            let (message, error) = Self.failure(["fit", "linear", "--data", csv, "--formula", "y ~ x", option, "nope"])
            #expect(message.contains("the \(role) column 'nope' is not in the data"), "\(message)")
            #expect((error as? NumericsError).map { FailureReport.exitCode(for: $0) } == 64)
        }
    }

    @Test func directoryAsDataGetsAPlainMessage() {
        let (message, _) = Self.failure(["fit", "linear", "--data", FileManager.default.temporaryDirectory.path, "--formula", "y ~ x"])
        #expect(message.contains("is a directory, not a CSV file") && !message.contains("Cocoa"), "\(message)")
    }

    @Test func invalidUTF8InTheCSVNamesLineAndByte() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-fit-\(UUID().uuidString).csv")
        try Data(Array("y,g\n1,a\n0,b\n1,x".utf8) + [0xC3, 0x28] + Array("\n".utf8)).write(to: url)
        let (message, _) = Self.failure(["fit", "logistic", "--data", url.path, "--formula", "y ~ C(g)"])
        #expect(message.contains("line 4, byte 4") && message.contains("UTF-8"), "\(message)")
    }

    /// The advice for a word response is a formula, and that formula works.
    @Test func nonNumericResponseAdviceLeadsToAWorkingFormula() throws {
        let csv = try FitCommandTests.tempCSV("outcome,x\nwin,1\nloss,2\nwin,3\nloss,1\nloss,5\nwin,4\nloss,2\nwin,2\n")
        let (message, _) = Self.failure(["fit", "logistic", "--data", csv, "--formula", "outcome ~ x"])
        let advice = try #require(message.range(of: #"I\(outcome == "[a-z]+"\)"#, options: .regularExpression).map { String(message[$0]) }, "\(message)")
        let out = try FitCommandTests.render(["fit", "logistic", "--data", csv, "--formula", "\(advice) ~ x", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect((json["model"] as? [String: Any])?["nobs"] as? Int == 8)
    }

    /// `--min-level-count -3` says what is wrong (it used to be "Missing value").
    @Test func negativeMinimumLevelCountSaysWhatIsWrong() throws {
        let csv = try FitCommandTests.tempCSV("y,g\n1,a\n2,b\n")
        let (message, error) = Self.failure(["fit", "linear", "--data", csv, "--formula", "y ~ C(g)", "--min-level-count", "-3"])
        #expect(message.contains("--min-level-count must be a whole number of at least 1") && message.contains("-3"), "\(message)")
        #expect(error.map { AIL.exitCode(for: $0) } == .validationFailure)
    }

    /// Weights, clusters and the penalty are read by the model frame, not the command.
    @Test func weightsAndClustersComeFromTheModelFrame() throws {
        let data = try DataFrame(csv: "y,x,w,s\n1,2,1,a\n2,3,NA,b\n4,5,2,a\n3,1,0.5,c\n")
        let m = try ModelFrame(data: data, formula: try Formula("y ~ x"), weights: "w", cluster: "s")
        #expect(m.weights == [1, 2, 0.5] && m.clusters == [0, 0, 1] && m.droppedRows == 1)
        #expect(try Penalty(parsing: "l2=0.25").l2 == 0.25)
        #expect(throws: NumericsError.self) { try Penalty(parsing: "L1=2") }
    }
}
