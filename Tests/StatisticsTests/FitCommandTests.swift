import ArgumentParser
import Foundation
import Testing
@testable import AILCommandLine
@testable import Statistics

/// End-to-end: `ail fit …` parsed by the real root command, rendered, and checked against references.
@Suite struct FitCommandTests {
    static func render(_ arguments: [String]) throws -> String {
        let command = try AIL.parseAsRoot(arguments)
        switch command {
        case let c as FitLogistic: return try c.render()
        case let c as FitLinear: return try c.render()
        default: throw CocoaError(.featureUnsupported)
        }
    }

    static func tempCSV(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-fit-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func logisticJSONMatchesUCLAReference() throws {
        let ref = try #require(try Refdata.json("logistic/ucla.json") as? [String: Any])
        let csv = try Refdata.url("logistic/binary.csv").path
        let out = try Self.render(["fit", "logistic", "--data", csv, "--formula", "admit ~ gre + gpa + C(rank)", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let terms = try #require(json["terms"] as? [[String: Any]])
        let model = try #require(json["model"] as? [String: Any])
        let names = try #require(ref["terms"] as? [String])
        let est = (try Refdata.doubles(ref, "estimates"))
        let se = (try Refdata.doubles(ref, "std_errors"))
        // R summary(glm(admit ~ gre + gpa + rank, binomial)) p-values as printed
        let rP = [0.000465, 0.038465, 0.015388, 0.032829, 0.000104, 0.000205]
        #expect(terms.map { $0["term"] as? String ?? "" } == names)
        for (j, t) in terms.enumerated() {
            let e = Refdata.double(t["estimate"]), s = Refdata.double(t["std_error"])
            #expect(relErr(e, est[j]) < 1e-8)
            #expect(relErr(s, se[j]) < 1e-8)
            #expect(relErr(Refdata.double(t["statistic"]), est[j] / se[j]) < 1e-8)
            #expect(relErr(Refdata.double(t["p_value"]), rP[j]) < 2e-3)
            #expect(relErr(Refdata.double(t["conf_low"]), est[j] - 1.959963984540054 * se[j]) < 1e-8)
            #expect(relErr(Refdata.double(t["conf_high"]), est[j] + 1.959963984540054 * se[j]) < 1e-8)
        }
        #expect(model["nobs"] as? Int == 400)
        #expect(model["df_residual"] as? Int == 394)
        #expect(relErr(Refdata.double(model["log_likelihood"]), Refdata.double(ref["log_likelihood"])) < 1e-9)
        #expect(relErr(Refdata.double(model["deviance"]), Refdata.double(ref["deviance"])) < 1e-9)
        #expect(relErr(Refdata.double(model["aic"]), Refdata.double(ref["aic"])) < 1e-9)
        #expect(relErr(Refdata.double(model["bic"]), Refdata.double(ref["bic"])) < 1e-9)
        #expect(relErr(Refdata.double(model["r_squared"]), Refdata.double(ref["pseudo_r_squared"])) < 1e-8)
        #expect(model["converged"] as? Bool == true)
        #expect((model["iterations"] as? Int ?? 0) > 0)
        for key in ["adj_r_squared", "sigma"] { #expect(model.keys.contains(key)) }
    }

    @Test func clusterOptionMatchesStatsmodels() throws {
        let ref = try #require(try Refdata.json("logistic/ucla.json") as? [String: Any])
        let csv = try Refdata.url("logistic/binary.csv").path
        let out = try Self.render(["fit", "logistic", "--data", csv, "--formula", "admit ~ gre + gpa + C(rank)",
                                   "--cluster", "rank", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let terms = try #require(json["terms"] as? [[String: Any]])
        let cse = (try Refdata.doubles(ref, "cluster_by_rank_std_errors"))
        for (j, t) in terms.enumerated() { #expect(relErr(Refdata.double(t["std_error"]), cse[j]) < 1e-7) }
    }

    @Test func textReportIsAlignedLikeR() throws {
        let csv = try Refdata.url("logistic/binary.csv").path
        let out = try Self.render(["fit", "logistic", "--data", csv, "--formula", "admit ~ gre + gpa + C(rank)"])
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex { $0.contains("Estimate") })
        let table = lines[header...].prefix { !$0.hasPrefix("---") }
        // every column ends where its header ends
        let ends = ["Estimate", "Std. Error", "z value", "Pr(>|z|)"].map { h in
            lines[header].range(of: h).map { lines[header].distance(from: lines[header].startIndex, to: $0.upperBound) } ?? -1
        }
        for row in table.dropFirst() {
            let chars = Array(row)
            for end in ends { #expect(end <= chars.count && chars[end - 1] != " ", "misaligned: \(row)") }
        }
        #expect(out.contains("(converged)"))
        #expect(out.contains("rank4"))
    }

    @Test func failuresNameTheCause() throws {
        let sep = try Self.tempCSV("y,x\n0,1\n0,2\n0,3\n1,4\n1,5\n1,6\n")
        let ragged = try Self.tempCSV("y,x\n1,2\n3,\"a\nb\",4\n")
        let aliased = try Self.tempCSV("y,a,b\n1,1,2\n2,2,4\n4,3,6\n3,4,8\n")
        let good = try Self.tempCSV("y,x\n1,2\n2,3\n4,5\n3,1\n")
        let cases: [([String], String)] = [
            (["fit", "logistic", "--data", sep, "--formula", "y ~ x"], "separation"),
            (["fit", "linear", "--data", aliased, "--formula", "y ~ a + b"], "rank deficient"),
            (["fit", "linear", "--data", ragged, "--formula", "y ~ x"], "line 3"),
            (["fit", "linear", "--data", good, "--formula", "y ~ z"], "unknown column 'z'"),
            (["fit", "linear", "--data", good, "--formula", "y x"], "formula"),
            (["fit", "linear", "--data", "/nonexistent.csv", "--formula", "y ~ x"], "cannot read"),
        ]
        for (args, cause) in cases {
            do {
                _ = try Self.render(args)
                Issue.record("expected a failure for \(args)")
            } catch {
                let message = AIL.message(for: error)
                #expect(message.contains(cause), "\(args): \(message)")
                #expect(AIL.exitCode(for: error) != .success)
            }
        }
    }
}

@Suite struct CSVAndFormulaTests {
    /// The text of every cell of a frame, row by row (nil for missing).
    static func cells(_ t: DataFrame) -> [[String?]] {
        (0..<t.rowCount).map { r in t.columns.map { $0.text(at: r) } }
    }

    @Test func quotedFieldsEmbeddedCommasAndNewlines() throws {
        let t = try DataFrame(csv: "id,note,v\r\n1,\"a, b\",2\r\n2,\"line1\nline2 \"\"quoted\"\"\",3\n3,plain,\n")
        #expect(t.columnNames == ["id", "note", "v"])
        #expect(t.rowCount == 3)
        #expect(Self.cells(t)[0] == ["1", "a, b", "2"])
        #expect(Self.cells(t)[1] == ["2", "line1\nline2 \"quoted\"", "3"])
        #expect(Self.cells(t)[2] == ["3", "plain", nil])
        #expect(t.columns.map(\.type) == [.int64, .categorical, .int64])
    }

    /// The parser works on UTF-8 bytes: multi-byte characters (in quotes or not) come through whole.
    @Test func unicodeFieldsSurviveByteLevelParsing() throws {
        let t = try DataFrame(csv: "y,g\n1,café\n2,\"naïve, 😀\"\r\n3, Ærø \n")
        #expect(Self.cells(t) == [["1", "café"], ["2", "naïve, 😀"], ["3", "Ærø"]])
        let frame = try ModelFrame(data: t, formula: try Formula("y ~ C(g)"))
        #expect(frame.termNames == ["gnaïve, 😀", "gÆrø"])
    }

    @Test func badRowsNameThePhysicalLine() throws {
        // the record on line 2 spans two lines, so the short record starts on line 4
        #expect(throws: NumericsError.self) { try DataFrame(csv: "a,b\n1,\"x\ny\"\n2\n") }
        do { _ = try DataFrame(csv: "a,b\n1,\"x\ny\"\n2\n") } catch let e as NumericsError {
            #expect(e.message.contains("line 4"), "\(e.message)")
        }
        do { _ = try DataFrame(csv: "a,b\n1,2\n3,\"open\n") } catch let e as NumericsError {
            #expect(e.message.contains("line 3") && e.message.contains("never closed"), "\(e.message)")
        }
        #expect(throws: NumericsError.self) { try DataFrame(csv: "") }
    }

    @Test func missingValuesDropRows() throws {
        let t = try DataFrame(csv: "y,x,g\n1,2,a\nNA,3,b\n2,,a\n3,4,b\n5,6,NA\n4,1,a\n")
        let frame = try ModelFrame(data: t, formula: try Formula("y ~ x + C(g)"))
        #expect(frame.droppedRows == 3)
        #expect(frame.rowIndices == [0, 3, 5])
        #expect(frame.termNames == ["x", "gb"])
        #expect(frame.y == [1, 3, 4])
        #expect(frame.x.storage == [2, 4, 1, 0, 1, 0])
    }

    @Test func formulaParsing() throws {
        let f = try Formula("y ~ x1 + C(g) + x1:x2 + I(x1^2) - 1")
        #expect(f.response == "y")
        #expect(!f.intercept)
        #expect(f.terms == [[.numeric("x1")], [.categorical("g")], [.numeric("x1"), .numeric("x2")], [.power("x1", 2)]])
        #expect(try Formula("y ~ 0 + x").intercept == false)
        #expect(try Formula("y~x").intercept == true)
        for bad in ["y x", " ~ x", "y ~ x$", "y ~ I(x^0)"] {
            #expect(throws: NumericsError.self, "\(bad)") { try Formula(bad) }
        }
        let t = try DataFrame(csv: "y,x\n1,a\n")
        #expect(throws: NumericsError.self) { try ModelFrame(data: t, formula: try Formula("y ~ x")) }
    }
}

@Suite struct LogisticThreadingTests {
    @Test func workerCountDoesNotChangeTheFit() throws {
        let (x, y, _) = try LogisticTests.ucla()
        var one = LogisticRegressionOptions(), two = LogisticRegressionOptions()
        one.threads = 1; one.blockRows = 16
        two.threads = 2; two.blockRows = 16
        let a = try LogisticRegression.fit(x: x, y: y, options: one)
        let b = try LogisticRegression.fit(x: x, y: y, options: two)
        for j in a.coefficients.indices {
            #expect(relErr(a.coefficients[j], b.coefficients[j]) < 1e-12)
            #expect(relErr(a.terms[j].stdError, b.terms[j].stdError) < 1e-12)
        }
        #expect(relErr(a.logLikelihood, b.logLikelihood) < 1e-13)
    }
}

@Suite struct StandardizationTests {
    @Test func numericColumnsAreCentredAndScaledDummiesAreNot() throws {
        let t = try DataFrame(csv: "y,x,g\n1,2,a\n3,4,b\n2,6,a\n5,8,b\n4,10,a\n")
        let frame = try ModelFrame(data: t, formula: try Formula("y ~ x + C(g) + I(x^2)"), standardize: true)
        #expect(frame.termNames == ["x", "gb", "I(x^2)"])
        let n = 5
        let x = Array(frame.x.storage[0..<n]), g = Array(frame.x.storage[n..<(2 * n)])
        // x = 2,4,6,8,10: mean 6, sample sd √10
        #expect(frame.standardization[0] == ModelFrame.ColumnScaling(term: "x", mean: 6, standardDeviation: 10.0.squareRoot()))
        for (v, raw) in zip(x, [2.0, 4, 6, 8, 10]) { #expect(abs(v - (raw - 6) / 10.0.squareRoot()) < 1e-15) }
        #expect(g == [0, 1, 0, 1, 0])
        #expect(frame.standardization.map(\.term) == ["x", "I(x^2)"])
        #expect(frame.y == [1, 3, 2, 5, 4])
        // slope on the standardised column = raw slope × sd
        let raw = try ModelFrame(data: t, formula: try Formula("y ~ x"))
        let std = try ModelFrame(data: t, formula: try Formula("y ~ x"), standardize: true)
        let b = try LinearRegression.fit(x: raw.x, y: raw.y).coefficients[1]
        let bs = try LinearRegression.fit(x: std.x, y: std.y).coefficients[1]
        #expect(abs(bs - b * 10.0.squareRoot()) < 1e-12)
        let constant = try DataFrame(csv: "y,x\n1,3\n2,3\n")
        #expect(throws: NumericsError.self) { try ModelFrame(data: constant, formula: try Formula("y ~ x"), standardize: true) }
    }
}
