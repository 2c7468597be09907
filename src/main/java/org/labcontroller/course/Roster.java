package org.labcontroller.course;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.labcontroller.account.AccountService;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;

/**
 * Reads a roster CSV ({@code username,display name,email}, header row first) into checked rows,
 * without touching the database. Exists so a roster is validated in full before anything is
 * applied. Tolerates a UTF-8 BOM, CRLF or LF, quoted fields (with commas, quotes doubled, line
 * breaks), blank lines, header names in any case and extra columns (ignored). Row numbers are the
 * file's record numbers, the header being row 1, as a spreadsheet shows them.
 */
final class Roster {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;<>]+@[^@\\s,;<>]+\\.[^@\\s,;<>]+");

    private Roster() {
    }

    /** A data row that passed the checks; {@code duplicateOf} is the earlier row with the same username, or 0. */
    record Row(int number, String username, String displayName, String email, int duplicateOf) {
    }

    /** A data row that did not pass, naming its field. */
    record Rejection(int row, String username, String field, String reason) {
    }

    record Parsed(List<Row> rows, List<Rejection> rejected) {
        int total() {
            return rows.size() + rejected.size();
        }
    }

    static Parsed parse(byte[] bytes) {
        List<Record> records = records(text(bytes));
        if (records.isEmpty()) {
            throw bad("the file has no header row; the first row must name the columns username,display name,email", null);
        }
        Map<String, Integer> columns = header(records.get(0).fields());
        Integer user = columns.get("username");
        if (user == null) {
            throw bad("the header row (row 1) has no 'username' column; found " + records.get(0).fields(), "rows[1].username");
        }
        Integer name = columns.get("displayname");
        Integer mail = columns.get("email");
        List<Row> rows = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Record r : records.subList(1, records.size())) {
            String username = field(r, user).toLowerCase(Locale.ROOT);
            String displayName = field(r, name);
            String email = field(r, mail);
            if (!AccountService.validUsername(username)) {
                rejected.add(new Rejection(r.number(), username, "username", username.isEmpty() ? "is empty"
                        : "must be 2-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit"));
            } else if (displayName.length() > 200) {
                rejected.add(new Rejection(r.number(), username, "display name", "is longer than 200 characters"));
            } else if (!email.isEmpty() && (email.length() > 254 || !EMAIL.matcher(email).matches())) {
                rejected.add(new Rejection(r.number(), username, "email", "'" + cut(email) + "' is not an email address"));
            } else {
                Integer first = seen.putIfAbsent(username, r.number());
                rows.add(new Row(r.number(), username, displayName.isEmpty() ? null : displayName, email.isEmpty() ? null : email,
                        first == null ? 0 : first));
            }
        }
        return new Parsed(rows, rejected);
    }

    /** The file as text: UTF-8 (a BOM is dropped); anything binary or in another encoding is refused whole. */
    private static String text(byte[] bytes) {
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        if (bytes.length >= 2 && (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE || bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)) {
            throw bad("the file is UTF-16 text; save it as CSV in UTF-8", null);
        }
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw bad("the file is not a CSV text file (a binary zero byte at offset " + i + ")", null);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
            throw bad("the file is not UTF-8 text; save it as CSV in UTF-8", null);
        }
    }

    private record Record(int number, List<String> fields) {
    }

    /** RFC 4180 records; blank lines are skipped but counted, so row numbers stay those of the file. */
    private static List<Record> records(String s) {
        List<Record> out = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int number = 1;
        int i = 0;
        boolean quoted = false;
        boolean any = false;
        while (i <= s.length()) {
            char ch = i < s.length() ? s.charAt(i) : '\n';
            if (quoted) {
                if (i == s.length()) {
                    throw bad("row " + number + ": a quoted field is not closed", "rows[" + number + "]");
                }
                if (ch == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    f.append(ch);
                }
            } else if (ch == '"' && f.toString().isBlank()) {
                quoted = true;
                any = true;
                f.setLength(0);
            } else if (ch == ',') {
                fields.add(f.toString());
                f.setLength(0);
                any = true;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                if (i < s.length() || any || f.length() > 0) {
                    fields.add(f.toString());
                    if (any || !f.toString().isBlank()) {
                        out.add(new Record(number, List.copyOf(fields)));
                    }
                }
                number++;
                fields.clear();
                f.setLength(0);
                any = false;
            } else {
                f.append(ch);
            }
            i++;
        }
        return out;
    }

    private static Map<String, Integer> header(List<String> names) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", "");
            columns.putIfAbsent(n.equals("e-mail") || n.equals("mail") ? "email" : n, i);
        }
        return columns;
    }

    private static String field(Record r, Integer column) {
        return column == null || column >= r.fields().size() ? "" : r.fields().get(column).trim();
    }

    private static String cut(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private static ApiException bad(String detail, String field) {
        return new ApiException(ErrorCode.BAD_REQUEST, "roster: " + detail, field);
    }
}
