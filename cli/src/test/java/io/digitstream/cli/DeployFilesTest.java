package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.digitstream.classifier.ClassifierConfig;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The deployment files under deploy/ against the code they deploy: the images the Jib profile of cli/pom.xml builds,
 * the classifier's settings and health endpoints. The Compose file is also validated by docker-compose when it is
 * installed (.ci/run installs Debian's).
 */
class DeployFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path COMPOSE = ROOT.resolve("deploy/docker-compose.yml");
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}");

    @Test
    void dockerComposeValidatesTheComposeFile() throws Exception {
        ComposeConfig config = dockerComposeConfig(Map.of("GRAFANA_ADMIN_PASSWORD", "a-password-for-the-test"));

        assertThat(config.exitCode()).as("docker-compose config -q: %s", config.output()).isZero();
    }

    @Test
    void dockerComposeRefusesToStartWithoutAGrafanaPassword() throws Exception {
        ComposeConfig config = dockerComposeConfig(Map.of());

        assertThat(config.exitCode()).as("docker-compose config -q: %s", config.output()).isNotZero();
        assertThat(config.output()).contains("GRAFANA_ADMIN_PASSWORD");
    }

    @Test
    void composePublishesEveryPortOnTheHostsLoopbackOnly() throws Exception {
        JsonNode services = YAML.readTree(COMPOSE.toFile()).get("services");
        List<String> published = new ArrayList<>();

        services.fields().forEachRemaining(service -> {
            String name = service.getKey();
            assertThat(service.getValue().path("network_mode").asText()).as(name).isNotEqualTo("host");
            service.getValue().path("ports").forEach(port -> {
                published.add(name + " " + port);
                if (port.isObject()) {
                    assertThat(port.path("host_ip").asText()).as(name + " " + port).isEqualTo("127.0.0.1");
                } else {
                    assertThat(port.asText()).as(name).startsWith("127.0.0.1:");
                }
            });
        });
        assertThat(published).as("published ports").hasSizeGreaterThanOrEqualTo(4);
        // inside the container the classifier still listens on every interface, for Prometheus and its health check
        assertThat(services.at("/classifier/command").toString()).contains("--metrics-host=0.0.0.0");
    }

    @Test
    void composeHasNoDefaultPasswordAndNoPrometheusLifecycleApi() throws Exception {
        JsonNode services = YAML.readTree(COMPOSE.toFile()).get("services");

        assertThat(services.at("/grafana/environment/GF_SECURITY_ADMIN_PASSWORD").asText())
                .matches("\\$\\{GRAFANA_ADMIN_PASSWORD:\\?[^}]+}");
        services.fields().forEachRemaining(service -> {
            String name = service.getKey();
            assertThat(service.getValue().path("command").toString() + service.getValue().path("entrypoint"))
                    .as(name).doesNotContain("--web.enable-lifecycle");
            service.getValue().path("environment").fields().forEachRemaining(variable -> {
                if (variable.getKey().contains("PASSWORD")) {
                    assertThat(variable.getValue().asText()).as(name + " " + variable.getKey())
                            .startsWith("${").doesNotContain(":-");
                }
            });
        });
    }

    @Test
    void composeGivesTheClassifierTheAdminTokenFromTheEnvironment() throws Exception {
        JsonNode services = YAML.readTree(COMPOSE.toFile()).get("services");

        assertThat(services.at("/classifier/environment/" + ServeCommand.ADMIN_TOKEN_ENV).asText())
                .isEqualTo("${" + ServeCommand.ADMIN_TOKEN_ENV + ":-}");
    }

    @Test
    void composeRunsTheJibImagesOnPinnedVersionsWithHealthChecks() throws Exception {
        JsonNode services = YAML.readTree(COMPOSE.toFile()).get("services");
        Map<String, String> images = jibImages();

        assertThat(withDefaults(services.at("/classifier/image").asText())).isEqualTo(images.get("classifier"));
        assertThat(withDefaults(services.at("/producer/image").asText())).isEqualTo(images.get("producer"));
        services.fields().forEachRemaining(service -> {
            String image = withDefaults(service.getValue().get("image").asText());
            assertThat(image).as(service.getKey()).matches(".+:[^/:]+").doesNotEndWith(":latest");
        });
        for (String name : List.of("kafka", "classifier", "prometheus", "grafana")) {
            assertThat(services.at("/" + name + "/healthcheck/test").isArray()).as(name + " health check").isTrue();
        }
        assertThat(services.at("/classifier/healthcheck/test").toString()).contains("/health/ready");
        assertThat(services.at("/classifier/command").toString()).contains("--metrics-host=0.0.0.0");
        assertThat(services.at("/classifier/environment/KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
        assertThat(services.at("/producer/profiles").toString()).contains("demo");
        String init = services.at("/kafka-init/command").toString();
        assertThat(ClassifierConfig.defaults().topics()).allSatisfy(topic -> assertThat(init).contains(topic));
    }

    @Test
    void kubernetesClassifierIsProbedLimitedAndNonRoot() throws Exception {
        JsonNode deployment = manifest("Deployment", "digit-stream-classifier");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");

        assertThat(container.get("image").asText()).isEqualTo(jibImages().get("classifier"));
        assertThat(pod.at("/initContainers/0/image").asText()).isEqualTo(jibImages().get("classifier"));
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("metrics");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(ClassifierConfig.METRICS_PORT);
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("metrics");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("metrics");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
        assertContainersLimitedAndReadOnly(pod);

        assertThat(container.get("args").toString())
                .contains("serve", "--config=/config/classifier.properties", "--model=/models/digits-cnn.onnx");
        assertThat(mountedVolume(pod, container, "/config").at("/configMap/name").asText())
                .isEqualTo("digit-stream-classifier");
        assertThat(mountedVolume(pod, container, "/models").at("/persistentVolumeClaim/claimName").asText())
                .isEqualTo(manifest("PersistentVolumeClaim", "digit-stream-models").at("/metadata/name").asText());
        assertThat(container.at("/envFrom/0/configMapRef/name").asText()).isEqualTo("digit-stream-kafka");
        assertThat(manifest("ConfigMap", "digit-stream-kafka").at("/data/KAFKA_BOOTSTRAP_SERVERS").asText())
                .isNotBlank();
    }

    @Test
    void kubernetesPodsGetNoServiceAccountTokenAndTheAdminTokenComesFromASecret() throws Exception {
        JsonNode classifier = manifest("Deployment", "digit-stream-classifier").at("/spec/template/spec");
        JsonNode trainer = manifest("Job", "digit-stream-trainer-").at("/spec/template/spec");

        assertThat(classifier.path("automountServiceAccountToken").isBoolean()).isTrue();
        assertThat(classifier.path("automountServiceAccountToken").asBoolean()).isFalse();
        assertThat(trainer.path("automountServiceAccountToken").isBoolean()).isTrue();
        assertThat(trainer.path("automountServiceAccountToken").asBoolean()).isFalse();

        JsonNode token = null;
        for (JsonNode variable : classifier.at("/containers/0/env")) {
            if (variable.path("name").asText().equals(ServeCommand.ADMIN_TOKEN_ENV)) {
                token = variable;
            }
        }
        assertThat(token).as(ServeCommand.ADMIN_TOKEN_ENV + " of the classifier container").isNotNull();
        assertThat(token.has("value")).as("a literal token in the manifest").isFalse();
        assertThat(token.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("digit-stream-admin");
        assertThat(token.at("/valueFrom/secretKeyRef/key").asText()).isNotBlank();
        assertThat(manifest("ConfigMap", "digit-stream-classifier").at("/data/classifier.properties").asText())
                .doesNotContain(ClassifierConfig.KEY_ADMIN_TOKEN);
    }

    @Test
    void kubernetesNetworkPolicyLetsInOnlyTheMetricsPortAndOutOnlyDnsAndKafka() throws Exception {
        JsonNode policy = manifest("NetworkPolicy", "digit-stream-classifier");
        JsonNode podLabels = manifest("Deployment", "digit-stream-classifier").at("/spec/template/metadata/labels");

        assertThat(matches(policy.at("/spec/podSelector/matchLabels"), podLabels)).isTrue();
        assertThat(policy.at("/spec/policyTypes").toString()).contains("\"Ingress\"", "\"Egress\"");

        JsonNode ingress = policy.at("/spec/ingress");
        assertThat(ingress.size()).isPositive();
        for (JsonNode rule : ingress) {
            // a rule without from, or with an empty namespaceSelector or an ipBlock, would let in the world
            assertThat(rule.path("from").size()).as("sources of %s", rule).isPositive();
            for (JsonNode peer : rule.get("from")) {
                assertThat(peer.has("ipBlock")).as("%s", peer).isFalse();
                if (peer.has("namespaceSelector")) {
                    assertThat(peer.at("/namespaceSelector/matchLabels").size()).as("%s", peer).isPositive();
                }
            }
            assertThat(rule.path("ports").size()).as("ports of %s", rule).isPositive();
            for (JsonNode port : rule.get("ports")) {
                assertThat(port.get("port").asText()).isIn("metrics", Integer.toString(ClassifierConfig.METRICS_PORT));
            }
        }

        List<String> egressPorts = new ArrayList<>();
        for (JsonNode rule : policy.at("/spec/egress")) {
            assertThat(rule.path("ports").size()).as("an egress rule without ports: %s", rule).isPositive();
            rule.get("ports").forEach(port -> egressPorts.add(port.path("protocol").asText("TCP") + "/"
                    + port.get("port").asText()));
        }
        String bootstrap = manifest("ConfigMap", "digit-stream-kafka").at("/data/KAFKA_BOOTSTRAP_SERVERS").asText();
        String kafkaPort = bootstrap.substring(bootstrap.lastIndexOf(':') + 1);
        assertThat(egressPorts).contains("UDP/53", "TCP/53", "TCP/" + kafkaPort);
    }

    @Test
    void kubernetesClassifierSettingsAreAcceptedByTheClassifier() throws Exception {
        JsonNode deployment = manifest("Deployment", "digit-stream-classifier");
        JsonNode pod = deployment.at("/spec/template/spec");
        Properties file = new Properties();
        file.load(new StringReader(
                manifest("ConfigMap", "digit-stream-classifier").at("/data/classifier.properties").asText()));
        Map<String, String> settings = new HashMap<>();
        file.stringPropertyNames().forEach(key -> settings.put(key, file.getProperty(key)));

        // bootstrap.servers comes from the environment (KAFKA_BOOTSTRAP_SERVERS)
        assertThat(settings).doesNotContainKey(ClassifierConfig.KEY_BOOTSTRAP_SERVERS);
        assertThatCode(() -> ClassifierConfig.fromMap(settings)).doesNotThrowAnyException();
        ClassifierConfig config = ClassifierConfig.fromMap(settings);
        assertThat(config.metricsHost()).isEqualTo("0.0.0.0");
        assertThat(config.metricsPort()).isEqualTo(pod.at("/containers/0/ports/0/containerPort").asInt());
        // Kafka Streams state goes to a writable volume: the root file system is read-only
        String stateDir = config.streamsOverrides().get("state.dir");
        assertThat(stateDir).isNotNull();
        assertThat(mountPaths(pod.at("/containers/0"))).anySatisfy(path -> assertThat(stateDir).startsWith(path));
        // every stream thread of every replica has an input partition
        int threads = Integer.parseInt(config.streamsOverrides().getOrDefault("num.stream.threads", "1"));
        assertThat(deployment.at("/spec/replicas").asInt() * threads).isLessThanOrEqualTo(config.topicPartitions());
    }

    @Test
    void kubernetesServiceBudgetAndTrainerJobFitTheClassifier() throws Exception {
        JsonNode service = manifest("Service", "digit-stream-classifier");
        assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("metrics");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(ClassifierConfig.METRICS_PORT);
        assertThat(service.at("/metadata/annotations/prometheus.io~1scrape").asText()).isEqualTo("true");
        JsonNode podLabels = manifest("Deployment", "digit-stream-classifier").at("/spec/template/metadata/labels");
        assertThat(matches(service.at("/spec/selector"), podLabels)).isTrue();
        assertThat(matches(manifest("PodDisruptionBudget", "digit-stream-classifier")
                .at("/spec/selector/matchLabels"), podLabels)).isTrue();

        JsonNode job = manifest("Job", "digit-stream-trainer-");
        JsonNode pod = job.at("/spec/template/spec");
        assertThat(pod.at("/restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.at("/initContainers/0/image").asText()).isEqualTo(jibImages().get("trainer"));
        assertThat(pod.at("/initContainers/0/args/0").asText()).isEqualTo("train");
        assertThat(pod.at("/containers/0/image").asText()).isEqualTo(jibImages().get("trainer"));
        assertThat(pod.at("/containers/0/args").toString()).contains("/models/digits-cnn.onnx");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertContainersLimitedAndReadOnly(pod);
    }

    @Test
    void kustomizationListsTheManifests() throws Exception {
        JsonNode kustomization = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        List<String> listed = new ArrayList<>();
        kustomization.get("resources").forEach(resource -> listed.add(resource.asText()));
        try (Stream<Path> files = Files.list(K8S)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".yaml"))
                    .filter(name -> !name.equals("kustomization.yaml"))
                    // created once per run with generateName, so kubectl apply -k cannot hold it
                    .filter(name -> !name.equals("trainer-job.yaml")))
                    .containsExactlyInAnyOrderElementsOf(listed);
        }
    }

    @Test
    void theImagesLeaveTheBenchmarksModuleOut() throws Exception {
        Element benchmarks = children(child(cliPom(), "dependencies")).stream()
                .filter(dependency -> text(child(dependency, "artifactId")).equals("digit-stream-benchmarks"))
                .findFirst().orElseThrow();

        // Jib builds from the runtime class path, which a provided dependency is not on
        assertThat(text(child(benchmarks, "scope"))).isEqualTo("provided");
    }

    /** What {@code docker-compose -f deploy/docker-compose.yml config -q} said, with {@code variables} set. */
    private record ComposeConfig(int exitCode, String output) {
    }

    private static ComposeConfig dockerComposeConfig(Map<String, String> variables) throws Exception {
        Path dockerCompose = onPath("docker-compose");
        assumeTrue(dockerCompose != null, "docker-compose is not on the PATH (Debian package docker-compose, which "
                + ".ci/run installs): the compose file is checked only structurally");
        ProcessBuilder builder = new ProcessBuilder(dockerCompose.toString(), "-f", COMPOSE.toString(), "config", "-q")
                .redirectErrorStream(true);
        // only what the test sets: not a GRAFANA_ADMIN_PASSWORD or DIGITS_ADMIN_TOKEN of whoever runs the build
        builder.environment().keySet().removeIf(name -> name.startsWith("GRAFANA_") || name.startsWith("DIGITS_"));
        builder.environment().putAll(variables);
        Process process = builder.start();
        boolean done = process.waitFor(2, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done).as("docker-compose config finished").isTrue();
        return new ComposeConfig(process.exitValue(), output);
    }

    private static void assertContainersLimitedAndReadOnly(JsonNode pod) {
        List<JsonNode> containers = new ArrayList<>();
        pod.path("initContainers").forEach(containers::add);
        pod.path("containers").forEach(containers::add);
        assertThat(containers).isNotEmpty().allSatisfy(c -> {
            String name = c.get("name").asText();
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    assertThat(c.at("/resources/" + kind + "/" + resource).asText())
                            .as(name + " " + kind + " " + resource).isNotBlank();
                }
            }
            assertThat(c.at("/securityContext/runAsNonRoot").asBoolean()).as(name + " runAsNonRoot").isTrue();
            assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
            assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
        });
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        List<Boolean> all = new ArrayList<>();
        selector.fields().forEachRemaining(e -> all.add(e.getValue().equals(labels.get(e.getKey()))));
        return !all.isEmpty() && !all.contains(false);
    }

    private static JsonNode mountedVolume(JsonNode pod, JsonNode container, String mountPath) {
        for (JsonNode mount : container.get("volumeMounts")) {
            if (mount.get("mountPath").asText().equals(mountPath)) {
                for (JsonNode volume : pod.get("volumes")) {
                    if (volume.get("name").equals(mount.get("name"))) {
                        return volume;
                    }
                }
            }
        }
        throw new AssertionError("nothing mounted at " + mountPath);
    }

    private static List<String> mountPaths(JsonNode container) {
        List<String> paths = new ArrayList<>();
        container.get("volumeMounts").forEach(mount -> paths.add(mount.get("mountPath").asText()));
        return paths;
    }

    /** The manifest of {@code kind} named {@code name} (or with that generateName) under deploy/k8s. */
    private static JsonNode manifest(String kind, String name) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).forEachRemaining(all::add);
            }
        }
        return all.stream()
                .filter(m -> m.path("kind").asText().equals(kind))
                .filter(m -> m.at("/metadata/name").asText(m.at("/metadata/generateName").asText()).equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + K8S));
    }

    private static Element cliPom() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(ROOT.resolve("cli/pom.xml").toFile()).getDocumentElement();
    }

    /** The images of the Jib executions in cli/pom.xml's profile images, by execution id, properties resolved. */
    private static Map<String, String> jibImages() throws Exception {
        Element project = cliPom();
        Map<String, String> properties = new HashMap<>();
        properties.put("project.version", text(child(child(project, "parent"), "version")));
        for (Element property : children(child(project, "properties"))) {
            properties.put(property.getTagName(), property.getTextContent().strip());
        }
        Map<String, String> images = new LinkedHashMap<>();
        for (Element profile : children(child(project, "profiles"))) {
            if (!text(child(profile, "id")).equals("images")) {
                continue;
            }
            for (Element plugin : children(child(child(profile, "build"), "plugins"))) {
                if (!text(child(plugin, "artifactId")).equals("jib-maven-plugin")) {
                    continue;
                }
                for (Element execution : children(child(plugin, "executions"))) {
                    String image = text(child(child(child(execution, "configuration"), "to"), "image"));
                    images.put(text(child(execution, "id")), resolve(image, properties));
                }
            }
        }
        assertThat(images).containsOnlyKeys("classifier", "trainer", "producer");
        return images;
    }

    private static String resolve(String value, Map<String, String> properties) {
        String resolved = value;
        for (int i = 0; i < 10 && resolved.contains("${"); i++) {
            Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(resolved);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(properties.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(out);
            resolved = out.toString();
        }
        return resolved;
    }

    /** A Compose value with every {@code ${VAR:-default}} replaced by its default. */
    private static String withDefaults(String value) {
        return COMPOSE_VARIABLE.matcher(value).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    }

    private static Element child(Element parent, String name) {
        return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">"));
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static String text(Element element) {
        return element.getTextContent().strip();
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
