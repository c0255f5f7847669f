package dev.grace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.benchmarks.Curve.Point;
import dev.grace.benchmarks.Curve.Series;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The growth named from measured points, and the plot drawn from them. */
class CurveTest {

    @Test
    void aFlatSeriesIsConstantALinearOneLinearAndTheBendIsPlacedWhereTheSlopeChanges() {
        assertThat(Curve.growth(List.of(new Point(10, 20), new Point(1000, 21), new Point(100_000, 22))))
                .startsWith("constant (log-log slopes +0.01, +0.01)");
        assertThat(Curve.growth(List.of(new Point(10, 1), new Point(1000, 100), new Point(100_000, 10_000))))
                .startsWith("linear (log-log slopes +1.00, +1.00)");
        assertThat(Curve.growth(List.of(new Point(10, 5), new Point(1000, 5.2), new Point(100_000, 520))))
                .startsWith("constant, bends at 1,000 to linear");
        assertThat(Curve.growth(List.of(new Point(1, 10), new Point(2, 40)))).startsWith("quadratic");
        assertThat(Curve.growth(List.of(new Point(1, 10), new Point(10, 30)))).startsWith("sublinear (~x^0.5)");
    }

    @Test
    void aPointWithoutALogarithmIsSaidRatherThanPlotted() throws Exception {
        List<Point> points = List.of(new Point(10, -3), new Point(1000, 400));
        assertThat(Curve.growth(points)).startsWith("not computed: y = -3");
        assertThat(Curve.growth(List.of(new Point(10, 1)))).startsWith("one point");

        String svg = SvgPlot.draw(new Curve("c", "t", "KPIs", "B", List.of(new Series("s", points))), "note");
        assertThat(parse(svg).getElementsByTagName("circle").getLength()).isEqualTo(1);
    }

    @Test
    void thePlotIsWellFormedSvgWithOnePolylinePerSeriesAndOneCirclePerPoint() throws Exception {
        Curve c = new Curve("scale-x", "record <ns> & \"threads\"", "KPIs", "ns/op", List.of(
                new Series("1 thread", List.of(new Point(10, 20), new Point(1000, 25), new Point(100_000, 60))),
                new Series("2 threads", List.of(new Point(10, 40), new Point(1000, 45)))));

        Document svg = parse(SvgPlot.draw(c, "2026-12-02, commit abc, load 3.1"));

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(5);
        assertThat(svg.getDocumentElement().getTextContent()).contains("record <ns> & \"threads\"", "100,000");
    }

    @Test
    void aCurveWithNothingMeasuredSaysSo() throws Exception {
        Document svg = parse(SvgPlot.draw(new Curve("e", "empty", "x", "y", List.of()), ""));
        assertThat(svg.getDocumentElement().getTextContent()).contains("not measured");
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }
}
