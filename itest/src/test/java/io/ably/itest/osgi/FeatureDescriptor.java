package io.ably.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The published Karaf features descriptor of this build ({@code io.ably.osgi-VERSION-features.xml}
 * in the build's OSGi repository, see {@code itest/pom.xml}) read as a list of bundles, so that the
 * Felix proof installs exactly what the feature installs in Karaf.
 */
final class FeatureDescriptor {
  /** One {@code <bundle>} of a feature: the jar in the build's repository, and wrap instructions. */
  record BundleRef(String location, Path jar, Map<String, String> wrap) {
    boolean wrapped() {
      return !wrap.isEmpty();
    }
  }

  private FeatureDescriptor() {}

  /** The Maven-layout repository the build fills before the integration tests. */
  static Path repository() {
    String property = System.getProperty("ably.osgi.repository");
    assertNotNull(property, "ably.osgi.repository is not set: run this test through Failsafe (mvnw verify)");
    Path path = Path.of(property);
    assertTrue(Files.isDirectory(path), () -> path + " is missing: run mvnw verify");
    return path;
  }

  /** This build's version, {@code 0.1.0-SNAPSHOT} say. */
  static String version() {
    String version = System.getProperty("ably.osgi.version");
    assertNotNull(version, "ably.osgi.version is not set: run this test through Failsafe");
    return version;
  }

  /** The published features descriptor, as the build's repository holds it. */
  static Path published() {
    String v = version();
    Path path = repository().resolve("io/ably/io.ably.osgi/" + v + "/io.ably.osgi-" + v + "-features.xml");
    assertTrue(Files.isRegularFile(path), () -> path + " is missing");
    return path;
  }

  /**
   * Reads the bundles of one feature.
   *
   * @param descriptor a features XML file
   * @param feature the feature's name
   * @return its bundles in order, each mapped to its jar in the build's repository
   */
  static List<BundleRef> bundles(Path descriptor, String feature) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    NodeList features = factory.newDocumentBuilder().parse(descriptor.toFile()).getElementsByTagNameNS("*", "feature");
    for (int i = 0; i < features.getLength(); i++) {
      Element element = (Element) features.item(i);
      if (feature.equals(element.getAttribute("name"))) {
        List<BundleRef> bundles = new ArrayList<>();
        NodeList children = element.getElementsByTagNameNS("*", "bundle");
        for (int j = 0; j < children.getLength(); j++) {
          bundles.add(bundle(children.item(j).getTextContent().trim()));
        }
        return bundles;
      }
    }
    throw new AssertionError("no feature " + feature + " in " + descriptor);
  }

  private static BundleRef bundle(String location) {
    String url = location;
    Map<String, String> wrap = new LinkedHashMap<>();
    if (url.startsWith("wrap:")) {
      url = url.substring("wrap:".length());
      int dollar = url.indexOf('$');
      if (dollar >= 0) {
        for (String instruction : url.substring(dollar + 1).split("&")) {
          int eq = instruction.indexOf('=');
          wrap.put(
              URLDecoder.decode(instruction.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(instruction.substring(eq + 1), StandardCharsets.UTF_8));
        }
        url = url.substring(0, dollar);
      }
    }
    assertTrue(url.startsWith("mvn:"), () -> "not a mvn: bundle: " + location);
    String[] gav = url.substring("mvn:".length()).split("/");
    assertTrue(gav.length == 3, () -> "not mvn:group/artifact/version: " + location);
    Path jar =
        repository()
            .resolve(gav[0].replace('.', '/'))
            .resolve(gav[1])
            .resolve(gav[2])
            .resolve(gav[1] + "-" + gav[2] + ".jar");
    assertTrue(Files.isRegularFile(jar), () -> location + ": " + jar + " is missing");
    return new BundleRef(location, jar, Map.copyOf(wrap));
  }

  /**
   * Wraps a plain jar as a bundle with bnd, as Karaf's {@code wrap:} handler does, applying the
   * instructions of the feature's URL.
   *
   * @param bundle a wrapped bundle of the feature
   * @param directory where to write the bundle
   * @return the bundle's path
   */
  static Path wrap(BundleRef bundle, Path directory) throws Exception {
    Path out = directory.resolve("wrapped-" + bundle.jar().getFileName());
    try (aQute.bnd.osgi.Analyzer analyzer = new aQute.bnd.osgi.Analyzer();
        aQute.bnd.osgi.Jar jar = new aQute.bnd.osgi.Jar(bundle.jar().toFile())) {
      analyzer.setJar(jar);
      bundle.wrap().forEach(analyzer::setProperty);
      Manifest manifest = analyzer.calcManifest();
      assertTrue(analyzer.getErrors().isEmpty(), () -> "bnd: " + analyzer.getErrors());
      jar.setManifest(manifest);
      try (OutputStream os = Files.newOutputStream(out)) {
        jar.write(os);
      }
    }
    return out;
  }
}
