package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.observe.ClassifierMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * docs/architecture.md shows the module graph (read from the poms) and the topology (from
 * {@code Topology#describe()}) between generated-block markers; this test fails when either has drifted from the code.
 * {@code -Ddocs.update=true} rewrites the blocks instead.
 */
class ArchitectureDocTest {

    private static final Path ROOT = Path.of("..");
    private static final Path DOC = ROOT.resolve("docs").resolve("architecture.md");
    private static final String GROUP = "io.digitstream";
    private static final String ARTIFACT_PREFIX = "digit-stream-";

    @Test
    void theModuleGraphIsTheOneThePomsDeclare() throws Exception {
        checkBlock("modules", moduleGraph());
    }

    @Test
    void theTopologyIsTheOneClassifierTopologyBuilds() throws Exception {
        checkBlock("topology", "```text\n" + topologyDescription().strip() + "\n```");
    }

    /** Each module of the reactor, in build order, with the modules of ours it uses outside its tests. */
    static String moduleGraph() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("```mermaid");
        lines.add("graph BT");
        for (String module : children(pom(ROOT.resolve("pom.xml")), "modules", "module")) {
            Element pom = pom(ROOT.resolve(module).resolve("pom.xml"));
            List<String> uses = new ArrayList<>();
            NodeList dependencies = pom.getElementsByTagName("dependency");
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element dependency = (Element) dependencies.item(i);
                String scope = text(dependency, "scope");
                if (GROUP.equals(text(dependency, "groupId")) && !"test".equals(scope)
                        && dependency.getParentNode().getParentNode() == pom) {
                    uses.add(text(dependency, "artifactId").substring(ARTIFACT_PREFIX.length()));
                }
            }
            lines.add("    " + node(module) + "[" + module + "]");
            for (String used : uses) {
                lines.add("    " + node(module) + " --> " + node(used));
            }
        }
        lines.add("```");
        return String.join("\n", lines);
    }

    /** Mermaid ids are safest without hyphens; the label keeps the folder's name. */
    private static String node(String module) {
        return module.replace('-', '_');
    }

    static String topologyDescription() {
        DigitClassifier unused = pixels -> {
            throw new AssertionError("describe() classifies nothing");
        };
        return ClassifierTopology.build(ClassifierConfig.defaults(), unused,
                new ClassifierMetrics()).describe().toString();
    }

    private static void checkBlock(String name, String generated) throws IOException {
        String begin = "<!-- generated:" + name + " (ArchitectureDocTest; -Ddocs.update=true rewrites it) -->";
        String end = "<!-- end:" + name + " -->";
        String doc = Files.readString(DOC);
        Matcher block = Pattern.compile(Pattern.quote(begin) + "\n(.*?)\n" + Pattern.quote(end), Pattern.DOTALL)
                .matcher(doc);
        assertThat(block.find()).as("%s holds a block between %s and %s", DOC, begin, end).isTrue();
        if (Boolean.getBoolean("docs.update")) {
            Files.writeString(DOC, doc.substring(0, block.start(1)) + generated + doc.substring(block.end(1)));
            return;
        }
        assertThat(block.group(1)).as("the %s block of %s; to rewrite it: ./mvnw -pl stream-classifier test "
                + "-Dtest=ArchitectureDocTest -Ddocs.update=true", name, DOC).isEqualTo(generated);
    }

    private static Element pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    private static List<String> children(Element pom, String list, String item) {
        List<String> values = new ArrayList<>();
        for (Node n = pom.getElementsByTagName(list).item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(item)) {
                values.add(e.getTextContent().strip());
            }
        }
        return values;
    }

    private static String text(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }
}
