package org.reseq.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code bench jmh ...}: hands every argument to JMH's own command line. */
@Command(name = JmhCommand.NAME,
        description = {"The JMH microbenchmarks of the hot pure pieces.",
            "Every argument goes to JMH, for example: jmh -f 1 -wi 2 -i 3 (JMH's own help: jmh -h)."})
public final class JmhCommand implements Callable<Integer> {

    public static final String NAME = "jmh";

    @Unmatched
    private List<String> arguments = new ArrayList<>();

    /** @return the arguments for JMH, in their order */
    public List<String> arguments() {
        return List.copyOf(arguments);
    }

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(arguments.toArray(String[]::new));
        return 0;
    }
}
