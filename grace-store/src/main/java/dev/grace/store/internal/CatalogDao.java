package dev.grace.store.internal;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The statements of {@code kpi_catalog} (what the running plugins declared) and
 * {@code publish_rejections} (values rejected per node, domain and hour): the store writes both, so
 * that cognition, in this runtime or another one, scores from the database alone.
 */
public final class CatalogDao {

    /**
     * A declared KPI as stored. {@code rangeMin} and {@code rangeMax} are null in rows written before
     * schema 5; {@code mayBeConstant} is false there.
     */
    public record CatalogKpi(String domain, String kpi, String plugin, String unit, String direction,
                             boolean healthBearing, Double target, Double rangeMin, Double rangeMax,
                             boolean mayBeConstant) {

        /** A KPI without a stored range whose constant values the guard flags. */
        public CatalogKpi(String domain, String kpi, String plugin, String unit, String direction,
                          boolean healthBearing, Double target) {
            this(domain, kpi, plugin, unit, direction, healthBearing, target, null, null, false);
        }
    }

    private final Vendor vendor;

    public CatalogDao(Vendor vendor) {
        this.vendor = vendor;
    }

    public void upsertCatalog(Handle h, List<CatalogKpi> kpis, long now) {
        String sql = vendor == Vendor.H2
                ? "MERGE INTO kpi_catalog (domain, kpi, plugin, unit, direction, health_bearing, target, range_min,"
                        + " range_max, may_be_constant, updated_at) KEY (domain, kpi)"
                        + " VALUES (:domain, :kpi, :plugin, :unit, :direction, :hb, :target, :rmin, :rmax, :mbc, :now)"
                : "INSERT INTO kpi_catalog (domain, kpi, plugin, unit, direction, health_bearing, target, range_min,"
                        + " range_max, may_be_constant, updated_at)"
                        + " VALUES (:domain, :kpi, :plugin, :unit, :direction, :hb, :target, :rmin, :rmax, :mbc, :now)"
                        + " ON CONFLICT (domain, kpi) DO UPDATE SET plugin = EXCLUDED.plugin, unit = EXCLUDED.unit,"
                        + " direction = EXCLUDED.direction, health_bearing = EXCLUDED.health_bearing,"
                        + " target = EXCLUDED.target, range_min = EXCLUDED.range_min, range_max = EXCLUDED.range_max,"
                        + " may_be_constant = EXCLUDED.may_be_constant, updated_at = EXCLUDED.updated_at";
        PreparedBatch batch = h.prepareBatch(sql);
        for (CatalogKpi k : kpis) {
            batch.bind("domain", k.domain()).bind("kpi", k.kpi()).bind("plugin", k.plugin()).bind("unit", k.unit())
                    .bind("direction", k.direction()).bind("hb", k.healthBearing())
                    .bindByType("target", k.target(), Double.class)
                    .bindByType("rmin", k.rangeMin(), Double.class).bindByType("rmax", k.rangeMax(), Double.class)
                    .bind("mbc", k.mayBeConstant()).bind("now", now).add();
        }
        if (!kpis.isEmpty()) {
            batch.execute();
        }
    }

    public List<CatalogKpi> catalog(Handle h) {
        return h.createQuery("SELECT domain, kpi, plugin, unit, direction, health_bearing, target, range_min, range_max,"
                        + " may_be_constant FROM kpi_catalog ORDER BY domain, kpi")
                .map((rs, ctx) -> new CatalogKpi(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBoolean(6), nullableDouble(rs, 7), nullableDouble(rs, 8),
                        nullableDouble(rs, 9), rs.getBoolean(10)))
                .list();
    }

    /** Adds to this node's rejection count of one domain and hour. */
    public void addRejections(Handle h, String node, String domain, long hour, long delta) {
        int updated = h.createUpdate("UPDATE publish_rejections SET rejected = rejected + :d"
                        + " WHERE node = :node AND domain = :domain AND period_start = :hour")
                .bind("d", delta).bind("node", node).bind("domain", domain).bind("hour", hour).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO publish_rejections (node, domain, period_start, rejected)"
                            + " VALUES (:node, :domain, :hour, :d)")
                    .bind("d", delta).bind("node", node).bind("domain", domain).bind("hour", hour).execute();
        }
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
