package org.labcontroller.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.labcontroller.problem.ApiException;

/** The roster reader alone: shapes of CSV it accepts, rows it rejects, files it refuses whole. */
class RosterParseTest {
    private static Roster.Parsed parse(String csv) {
        return Roster.parse(csv.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rowNumbersAreTheSpreadsheetsBlankLinesCountingAndAQuotedLineBreakStayingInItsRow() {
        Roster.Parsed p = parse("username,display name\n\nada,\"Ada\nLovelace\"\nbob,Bob\n");
        assertEquals(2, p.rows().size());
        assertEquals(3, p.rows().get(0).number());
        assertEquals("Ada\nLovelace", p.rows().get(0).displayName());
        assertEquals(4, p.rows().get(1).number());
    }

    @Test
    void shortRowsExtraColumnsAndUpperCaseUsernamesAreTolerated() {
        Roster.Parsed p = parse("Notes,USERNAME,E-Mail\n,Ada.L\nx,bob,bob@example.org,surplus\n");
        assertEquals("ada.l", p.rows().get(0).username());
        assertEquals(null, p.rows().get(0).email());
        assertEquals("bob@example.org", p.rows().get(1).email());
    }

    @Test
    void badFieldsAreRejectedPerRowNamingTheField() {
        Roster.Parsed p = parse("username,email\n,a@b.org\nok,nope\n" + "x".repeat(70) + ",\n");
        assertEquals(3, p.rejected().size());
        assertEquals("username", p.rejected().get(0).field());
        assertEquals("email", p.rejected().get(1).field());
        assertEquals(3, p.rejected().get(1).row());
    }

    @Test
    void filesThatAreNotUtf8CsvAreRefusedWhole() {
        assertThrows(ApiException.class, () -> Roster.parse(new byte[] {(byte) 0xFF, (byte) 0xFE, 'u', 0}));
        assertThrows(ApiException.class, () -> Roster.parse(new byte[] {'u', 's', (byte) 0xC3, '\n'}));
        assertThrows(ApiException.class, () -> parse(""));
        ApiException unclosed = assertThrows(ApiException.class, () -> parse("username\n\"ada\n"));
        assertTrue(unclosed.getMessage().contains("row 2"), unclosed.getMessage());
    }
}
