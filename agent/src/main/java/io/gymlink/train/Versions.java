package io.gymlink.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The versions recorded in {@code config.json} and checkpoints: gymlink, Java, ND4J, OpenBLAS. */
public final class Versions {

  private Versions() {}

  /** gymlink, java, nd4j and openblas (bytedeco) versions; "unknown" when not running from the packaged jars (e.g. in an IDE). */
  public static Map<String, String> current() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("gymlink", mavenVersion("io.gymlink", "gymlink-agent"));
    versions.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    versions.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
    versions.put("openblas", mavenVersion("org.bytedeco", "openblas"));
    return versions;
  }

  private static String mavenVersion(String groupId, String artifactId) {
    String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = Versions.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
