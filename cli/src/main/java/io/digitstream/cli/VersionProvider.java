package io.digitstream.cli;

import picocli.CommandLine;

/** Reads the version Maven wrote into the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = DigitsCommand.class.getPackage().getImplementationVersion();
        return new String[] {"digit-stream " + (version == null ? "(development build)" : version)};
    }
}
