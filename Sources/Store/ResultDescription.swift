import CLibPQ

/// A result column as the server describes it before any row is read.
public struct ResultColumn: Sendable, Equatable {
    public let name: String
    /// The type's OID (`pg_type.oid`).
    public let typeOID: UInt32
    /// The type as SQL writes it (`double precision`, `text`, an enum's name).
    public let typeName: String
    /// Whether the type is an enum (`pg_type.typtype = 'e'`).
    public let isEnum: Bool
}

extension Connection {
    /// The columns `query` would return, from the server's description of the prepared
    /// statement: nothing is executed (a `DELETE … RETURNING` deletes nothing here).
    /// - Throws: the server's error (syntax, unknown table or column) with its SQLSTATE.
    public func describeColumns(of query: String) throws -> [ResultColumn] {
        _ = try consume(PQprepare(handle, "", query, 0, nil), sql: query)
        guard let described = PQdescribePrepared(handle, "") else { throw connectionError(context: "describing a statement") }
        defer { PQclear(described) }
        guard PQresultStatus(described) == PGRES_COMMAND_OK else {
            throw Connection.serverError(described, fallback: "describing the query failed")
        }
        let count = Int(PQnfields(described))
        let columns = (0..<count).map { (String(cString: PQfname(described, Int32($0))), UInt32(PQftype(described, Int32($0)))) }
        guard !columns.isEmpty else { return [] }
        let oids = "{" + Set(columns.map { String($0.1) }).sorted().joined(separator: ",") + "}"
        let types = try execute("SELECT oid::int8, format_type(oid, NULL), typtype = 'e' FROM pg_type WHERE oid = ANY($1::oid[])", [.text(oids)])
        var info: [UInt32: (String, Bool)] = [:]
        for row in types {
            if let oid = try row.value(0, as: Int.self), let name = try row.value(1, as: String.self) {
                info[UInt32(oid)] = (name, try row.value(2, as: Bool.self) ?? false)
            }
        }
        return columns.map { name, oid in
            ResultColumn(name: name, typeOID: oid, typeName: info[oid]?.0 ?? "type \(oid)", isEnum: info[oid]?.1 ?? false)
        }
    }
}
