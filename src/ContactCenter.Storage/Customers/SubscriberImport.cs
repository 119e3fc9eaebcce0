using System.Diagnostics;
using ContactCenter.Calls;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Customers;

/// <summary>One row of the subscriber master-data file.</summary>
public sealed record SubscriberRow(string Number, string? Brand, bool Vip, string? HomeCity, string? Region, string? Language, string? Name);

/// <summary>The outcome of an import: rows loaded, rows refused (with the first reasons), and the time it took.</summary>
public sealed record ImportReport(long Imported, long Refused, IReadOnlyList<string> FirstErrors, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Imported / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Loads subscriber master data from CSV (header: number,brand,vip,home_city,region,language,name). On
/// PostgreSQL the rows stream through binary COPY into a staging table and are merged in one statement, so a
/// re-import updates in place; 40 million rows are one pass over the file. A bad row is refused with its line
/// number and the rest still load.
/// </summary>
public sealed class SubscriberImport(DatabaseTarget database)
{
    private const int MaxReportedErrors = 20;
    private const int SqliteRowsPerTransaction = 50_000;

    public async Task<ImportReport> ImportAsync(TextReader csv, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var errors = new List<string>();
        long refused = 0;
        var rows = SubscriberCsv.Read(csv, (line, reason) =>
        {
            refused++;
            if (errors.Count < MaxReportedErrors)
            {
                errors.Add($"line {line}: {reason}");
            }
        });

        var imported = database.Kind == DatabaseKind.PostgreSql
            ? await ImportIntoPostgresAsync(rows, cancellationToken)
            : await ImportIntoSqliteAsync(rows, cancellationToken);
        return new ImportReport(imported, refused, errors, Stopwatch.GetElapsedTime(started));
    }

    private async Task<long> ImportIntoPostgresAsync(IEnumerable<SubscriberRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var staging = new NpgsqlCommand("CREATE TEMP TABLE subscribers_import (LIKE subscribers) ON COMMIT DROP", connection, transaction))
        {
            await staging.ExecuteNonQueryAsync(cancellationToken);
        }

        long count = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY subscribers_import (number, brand, vip, home_city, region, language, name) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(row.Number, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, row.Brand, cancellationToken);
                await copy.WriteAsync(row.Vip, NpgsqlDbType.Boolean, cancellationToken);
                await WriteNullableAsync(copy, row.HomeCity, cancellationToken);
                await WriteNullableAsync(copy, row.Region, cancellationToken);
                await WriteNullableAsync(copy, row.Language, cancellationToken);
                await WriteNullableAsync(copy, row.Name, cancellationToken);
                count++;
            }

            await copy.CompleteAsync(cancellationToken);
        }

        // DISTINCT ON: a file that lists a number twice loads one of its rows, not an error.
        await using (var merge = new NpgsqlCommand("""
            INSERT INTO subscribers
            SELECT DISTINCT ON (number) * FROM subscribers_import
            ON CONFLICT (number) DO UPDATE SET brand = excluded.brand, vip = excluded.vip, home_city = excluded.home_city,
                region = excluded.region, language = excluded.language, name = excluded.name
            """, connection, transaction) { CommandTimeout = 0 })
        {
            await merge.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private async Task<long> ImportIntoSqliteAsync(IEnumerable<SubscriberRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(database.ConnectionString, cancellationToken);
        long count = 0;
        foreach (var chunk in rows.Chunk(SqliteRowsPerTransaction))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT OR REPLACE INTO subscribers (number, brand, vip, home_city, region, language, name)
                VALUES ($number, $brand, $vip, $home_city, $region, $language, $name)
                """;
            foreach (var row in chunk)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$number", row.Number);
                insert.Parameters.AddWithValue("$brand", (object?)row.Brand ?? DBNull.Value);
                insert.Parameters.AddWithValue("$vip", row.Vip);
                insert.Parameters.AddWithValue("$home_city", (object?)row.HomeCity ?? DBNull.Value);
                insert.Parameters.AddWithValue("$region", (object?)row.Region ?? DBNull.Value);
                insert.Parameters.AddWithValue("$language", (object?)row.Language ?? DBNull.Value);
                insert.Parameters.AddWithValue("$name", (object?)row.Name ?? DBNull.Value);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            count += chunk.Length;
        }

        return count;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}

/// <summary>Reads the master-data CSV: comma-separated, fields optionally in double quotes ("" inside quotes is a quote).</summary>
public static class SubscriberCsv
{
    public const string Header = "number,brand,vip,home_city,region,language,name";

    private const int MaxFieldLength = 128;

    public static IEnumerable<SubscriberRow> Read(TextReader csv, Action<long, string> refuse)
    {
        var header = csv.ReadLine();
        if (header?.Trim() != Header)
        {
            throw new FormatException($"the first line must be the header '{Header}'");
        }

        long line = 1;
        while (csv.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var fields = Split(text);
            var reason = fields switch
            {
                null => "unbalanced quotes",
                { Count: not 7 } => $"{fields.Count} fields; expected 7",
                _ when !PhoneNumbers.IsE164(fields[0]) => $"'{fields[0]}' is not an E.164 number",
                _ when fields[2] is not ("true" or "false" or "1" or "0" or "") => $"vip must be true or false, not '{fields[2]}'",
                _ when fields.Any(f => f.Length > MaxFieldLength) => $"a field is longer than {MaxFieldLength} characters",
                _ => null,
            };
            if (reason is not null)
            {
                refuse(line, reason);
                continue;
            }

            yield return new SubscriberRow(fields![0], Optional(fields[1]), fields[2] is "true" or "1", Optional(fields[3]), Optional(fields[4]), Optional(fields[5]), Optional(fields[6]));
        }
    }

    private static string? Optional(string field) => field.Length == 0 ? null : field;

    private static List<string>? Split(string line)
    {
        var fields = new List<string>(7);
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return quoted ? null : fields;
    }
}
