package io.gymlink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gymlink.testing.PythonEnvServer;
import io.gymlink.vector.ServerTargets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests (deploy/k8s) checked structurally, since no cluster runs here: selectors match labels,
 * ports and probes agree with each other and with the images, the trainer's target names the headless Service, and
 * every flag and variable they use exists.
 */
class KubernetesManifestsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static Path root;
  private static Map<String, JsonNode> byKind;
  private static Map<String, JsonNode> files;

  @BeforeAll
  static void load() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "deploy/k8s not found above " + Path.of("").toAbsolutePath());
    root = dir;
    files = new HashMap<>();
    byKind = new HashMap<>();
    try (Stream<Path> listing = Files.list(root.resolve("deploy/k8s"))) {
      for (Path file : listing.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        JsonNode doc = YAML.readTree(file.toFile());
        files.put(file.getFileName().toString(), doc);
        byKind.put(doc.path("kind").asText(), doc);
      }
    }
  }

  private static JsonNode deployment() {
    return byKind.get("Deployment");
  }

  private static JsonNode container(JsonNode workload) {
    return workload.path("spec").path("template").path("spec").path("containers").get(0);
  }

  private static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    return env;
  }

  private static String read(String relative) throws IOException {
    return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
  }

  @Test
  void kustomization_listsEveryManifest_andEveryOneIsInItsNamespace() {
    JsonNode kustomization = files.get("kustomization.yaml");
    Set<String> listed = new TreeSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    Set<String> present = new TreeSet<>(files.keySet());
    present.remove("kustomization.yaml");
    assertEquals(present, listed);
    String namespace = kustomization.path("namespace").asText();
    assertEquals(namespace, byKind.get("Namespace").path("metadata").path("name").asText());
    for (String name : listed) {
      JsonNode doc = files.get(name);
      if (!doc.path("kind").asText().equals("Namespace")) {
        assertEquals(namespace, doc.path("metadata").path("namespace").asText(), name);
      }
    }
  }

  @Test
  void selectors_matchTheirPodLabels() {
    JsonNode podLabels = deployment().path("spec").path("template").path("metadata").path("labels");
    deployment().path("spec").path("selector").path("matchLabels").fields().forEachRemaining(
        e -> assertEquals(e.getValue(), podLabels.path(e.getKey()), "Deployment selector " + e.getKey()));
    JsonNode serviceSelector = byKind.get("Service").path("spec").path("selector");
    assertTrue(serviceSelector.size() > 0);
    serviceSelector.fields().forEachRemaining(
        e -> assertEquals(e.getValue(), podLabels.path(e.getKey()), "Service selector " + e.getKey()));
  }

  @Test
  void ports_andProbes_agreeWithEachOtherAndTheImage() throws IOException {
    JsonNode server = container(deployment());
    JsonNode port = server.path("ports").get(0);
    int containerPort = port.path("containerPort").asInt();
    assertEquals(Integer.toString(containerPort), env(server).get("GYMLINK_PORT"), "the port the server binds");
    String dockerfile = read("envserver-adapter/Dockerfile");
    assertTrue(dockerfile.contains("EXPOSE " + containerPort), "the image exposes " + containerPort);
    assertTrue(dockerfile.contains("GYMLINK_PORT=" + containerPort), "the image's default port");
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      // The image's own HEALTHCHECK: the gRPC health service, at GYMLINK_PORT, over TLS with GYMLINK_TLS_CA.
      List<String> command = new ArrayList<>();
      server.path(probe).path("exec").path("command").forEach(c -> command.add(c.asText()));
      assertEquals(List.of("python", "-m", "gymlink_envserver.healthcheck"), command, probe);
      assertTrue(dockerfile.contains("CMD [\"" + String.join("\", \"", command) + "\"]"), probe + " is the image's");
    }
    String healthcheck = read("envserver-adapter/src/gymlink_envserver/healthcheck.py");
    assertTrue(healthcheck.contains("GYMLINK_PORT") && healthcheck.contains("GYMLINK_TLS_CA"), healthcheck);
    assertTrue(read("envserver-adapter/src/gymlink_envserver/server.py").contains("add_HealthServicer_to_server"),
        "the server serves grpc.health.v1, which the probes ask");
    JsonNode service = byKind.get("Service").path("spec");
    assertEquals("None", service.path("clusterIP").asText(), "headless: DNS answers with every pod");
    assertEquals(port.path("name").asText(), service.path("ports").get(0).path("targetPort").asText());
    assertEquals(containerPort, service.path("ports").get(0).path("port").asInt());
    assertTrue(dockerfile.contains("--uid " + deployment().path("spec").path("template").path("spec")
        .path("securityContext").path("runAsUser").asInt()), "runs as the image's own user");
  }

  @Test
  void secrets_everyFileAPodReadsIsMountedFromTheGeneratedSecret() throws IOException {
    JsonNode generator = files.get("kustomization.yaml").path("secretGenerator").get(0);
    Set<String> generated = new TreeSet<>();
    generator.path("files").forEach(f -> generated.add(Path.of(f.asText()).getFileName().toString()));
    for (JsonNode workload : List.of(deployment(), byKind.get("Job"))) {
      JsonNode pod = workload.path("spec").path("template").path("spec");
      Map<String, String> mounts = new HashMap<>();
      container(workload).path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(),
          m.path("mountPath").asText()));
      Set<String> readable = new TreeSet<>();
      pod.path("volumes").forEach(v -> {
        if (v.has("secret")) {
          assertEquals(generator.path("name").asText(), v.path("secret").path("secretName").asText());
          v.path("secret").path("items").forEach(item -> {
            assertTrue(generated.contains(item.path("key").asText()), item + " is generated");
            readable.add(mounts.get(v.path("name").asText()) + "/" + item.path("path").asText());
          });
        }
      });
      List<String> paths = new ArrayList<>();
      container(workload).path("args").forEach(a -> {
        if (a.asText().startsWith("/")) {
          paths.add(a.asText());
        }
      });
      env(container(workload)).values().stream().filter(v -> v.startsWith("/secrets/")).forEach(paths::add);
      assertFalse(paths.isEmpty());
      paths.forEach(path -> assertTrue(readable.contains(path), path + " is mounted from the secret: " + readable));
    }
    assertTrue(read(".gitignore").contains("deploy/k8s/secrets/"), "the generated secrets stay out of git");
    String makeSecrets = read("envserver-adapter/docker/make-secrets.sh");
    generated.forEach(name -> assertTrue(makeSecrets.contains(name), "gymlink-make-secrets writes " + name));
  }

  @Test
  void trainer_targetsTheHeadlessServiceByName_andWritesRunsToTheVolume() throws IOException {
    JsonNode job = byKind.get("Job");
    JsonNode trainer = container(job);
    JsonNode service = byKind.get("Service");
    String expected = "dns:///" + service.path("metadata").path("name").asText() + "."
        + service.path("metadata").path("namespace").asText() + ".svc.cluster.local:"
        + service.path("spec").path("ports").get(0).path("port").asInt();
    String server = env(trainer).get("GYMLINK_SERVER");
    assertEquals(expected, server);
    assertTrue(ServerTargets.parse(server).resolvesNames());
    String entrypoint = read("agent/docker/entrypoint.sh");
    env(trainer).keySet().forEach(name -> assertTrue(entrypoint.contains(name), "the entrypoint reads " + name));
    Map<String, String> mounts = new HashMap<>();
    trainer.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
    Set<String> volumes = new HashSet<>();
    job.path("spec").path("template").path("spec").path("volumes").forEach(v -> {
      volumes.add(v.path("name").asText());
      if (v.has("persistentVolumeClaim")) {
        assertEquals(byKind.get("PersistentVolumeClaim").path("metadata").path("name").asText(),
            v.path("persistentVolumeClaim").path("claimName").asText());
        assertEquals("/runs", mounts.get(v.path("name").asText()), "the runs volume is where the trainer writes");
      }
    });
    assertEquals(volumes, mounts.keySet());
    assertTrue(read("agent/Dockerfile").contains("VOLUME [\"/runs\"]"));
  }

  @Test
  void images_areTheProjectsImages() throws IOException {
    String compose = read("docker-compose.yml");
    for (JsonNode workload : List.of(deployment(), byKind.get("Job"))) {
      String image = container(workload).path("image").asText();
      String name = image.substring(0, image.indexOf(':'));
      assertTrue(compose.contains("image: " + name), image + " is built by docker-compose.yml");
    }
  }

  @Test
  void serverArgs_areFlagsTheServerAccepts() throws Exception {
    List<String> command = new ArrayList<>(PythonEnvServer.command());
    command.add("--help");
    Process help = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(help.waitFor(60, TimeUnit.SECONDS));
    List<String> flags = new ArrayList<>();
    container(deployment()).path("args").forEach(a -> {
      if (a.asText().startsWith("--")) {
        flags.add(a.asText());
      }
    });
    assertFalse(flags.isEmpty());
    flags.forEach(flag -> assertTrue(text.contains(flag), flag + " is a gymlink-envserver flag:\n" + text));
  }
}
