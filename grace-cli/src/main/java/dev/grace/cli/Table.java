package dev.grace.cli;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** A plain-text table: columns padded to their widest cell, two spaces apart, numbers right-aligned. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final BitSet rightAligned = new BitSet();
    private final int columns;

    Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers);
    }

    /** Right-aligns these columns (0-based), for numbers. */
    Table rightAligned(int... columnIndexes) {
        for (int c : columnIndexes) {
            rightAligned.set(c);
        }
        return this;
    }

    Table row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    /** The header line, then one line per row; no trailing spaces. */
    List<String> lines() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], String.valueOf(row[c]).length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = String.valueOf(row[c]);
                String pad = " ".repeat(widths[c] - cell.length());
                if (c > 0) {
                    line.append("  ");
                }
                line.append(rightAligned.get(c) ? pad + cell : cell + pad);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
