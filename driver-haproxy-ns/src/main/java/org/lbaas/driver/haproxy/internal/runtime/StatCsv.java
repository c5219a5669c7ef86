package org.lbaas.driver.haproxy.internal.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lbaas.model.MemberHealth;

/**
 * Parses the CSV of {@code show stat} (header line {@code # pxname,svname,...}; HAProxy never
 * quotes fields in it) and maps server status to {@link MemberHealth}.
 */
public final class StatCsv {

    private StatCsv() {
    }

    /**
     * Parses the answer of {@code show stat}.
     *
     * @param csv the complete answer
     * @return the rows in order
     * @throws IllegalArgumentException when the answer has no header (an error message instead)
     */
    public static List<StatRow> parse(String csv) {
        List<StatRow> rows = new ArrayList<>();
        String[] header = null;
        for (String line : csv.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# ")) {
                header = line.substring(2).split(",", -1);
                continue;
            }
            if (header == null) {
                throw new IllegalArgumentException("not a show stat answer: " + firstLine(csv));
            }
            String[] values = line.split(",", -1);
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i < header.length && i < values.length; i++) {
                if (!header[i].isEmpty()) {
                    fields.put(header[i], values[i]);
                }
            }
            rows.add(new StatRow(fields));
        }
        if (header == null) {
            throw new IllegalArgumentException("not a show stat answer: " + firstLine(csv));
        }
        return rows;
    }

    private static String firstLine(String text) {
        String s = text.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * Maps a server row to a member's health: {@code MAINT...} is MAINT; {@code DRAIN},
     * {@code NOLB} or weight 0 while not down is DRAIN; {@code no check} is NO_MONITOR;
     * {@code UP...} (also {@code UP 1/3}, going down) is UP; everything else (DOWN, {@code DOWN 1/2}
     * going up, unknown) is DOWN.
     *
     * @param row a server row
     * @return the health
     */
    public static MemberHealth health(StatRow row) {
        String status = row.text("status").orElse("").trim();
        if (status.startsWith("MAINT")) {
            return MemberHealth.MAINT;
        }
        boolean down = status.startsWith("DOWN");
        boolean zeroWeight = row.number("weight").orElse(1) == 0;
        if (status.startsWith("DRAIN") || status.startsWith("NOLB") || (zeroWeight && !down)) {
            return MemberHealth.DRAIN;
        }
        if (status.equals("no check")) {
            return MemberHealth.NO_MONITOR;
        }
        if (status.startsWith("UP")) {
            return MemberHealth.UP;
        }
        return MemberHealth.DOWN;
    }
}
