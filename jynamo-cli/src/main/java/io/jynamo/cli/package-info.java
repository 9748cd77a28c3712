/** The {@code jynamo} command line: each subcommand a class, errors as one line and a non-zero exit. */
package io.jynamo.cli;
