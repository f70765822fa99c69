package io.gymlink.cli;

import picocli.CommandLine.IVersionProvider;

/** The version lines of {@code gymlink --version}: the build's version (from the jar manifest) and the Java runtime. */
public final class GymlinkVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = GymlinkVersion.class.getPackage().getImplementationVersion();
    return new String[] {
      "gymlink " + (version == null ? "(development build)" : version) + ", protocol gymlink.v1",
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
