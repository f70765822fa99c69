package io.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gymlink.client.ClientConfig;
import io.gymlink.client.EnvFactories;
import io.gymlink.client.EnvFactory;
import io.gymlink.env.Env;
import io.gymlink.env.UnknownEnvironmentException;
import io.gymlink.testing.PythonEnvServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The challenge flow end to end: DDPG trains over HTTP (gym-http-api) on the real server, then {@code gymlink
 * submit} runs the checkpoint through the real server in grader mode, and the grader's refusals reach the user.
 */
class SubmitCommandTest {

  private static final String TOKEN = "t0k3n-alice";
  private static final List<String> TINY = List.of("--set", "netArch=[16,16]", "--set", "learningStarts=50",
      "--set", "batchSize=16", "--set", "bufferSize=1000", "--set", "evalEpisodes=1", "--set", "evalFreq=100",
      "--set", "checkpointFreq=100");

  @TempDir
  static Path dir;

  private static LocalEnvServer open;
  private static LocalEnvServer grader;

  @BeforeAll
  static void start() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens.txt"), "# rehearsal\n" + TOKEN + " alice\n");
    open = PythonEnvServer.startServer("--http-port", "0");
    grader = PythonEnvServer.startServer("--http-port", "0", "--grader", "--seeds", "11,12",
        "--tokens", tokens.toString(), "--grader-version", SubmitCommand.OSIM_RL_VERSION);
  }

  @AfterAll
  static void stop() {
    open.close();
    grader.close();
  }



  private static Path trainOverHttp(String envId, int steps, String... more) {
    return train(open.httpTarget(), dir.resolve(envId + "-run"), envId, steps, more);
  }

  private static Path train(String server, Path runDir, String envId, int steps, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--env", envId, "--steps", Integer.toString(steps),
        "--seed", "3", "--server", server, "--out", runDir.toString()));
    args.addAll(TINY);
    args.addAll(List.of(more));
    CliRun trained = CliRun.gymlink(args.toArray(String[]::new));
    assertEquals(0, trained.exitCode(), trained.err());
    return runDir;
  }

  @Test
  void trainOverHttp_thenSubmitToGrader_printsEpisodesAndTheScore() {
    Path runDir = trainOverHttp("Pendulum-v1", 150, "--set", "maxEpisodeSteps=50");
    CliRun submitted = CliRun.gymlink("submit", "--grader", grader.httpTarget(), "--token", TOKEN, "--checkpoint",
        runDir.toString());
    assertEquals(0, submitted.exitCode(), submitted.err());
    Matcher episodes = Pattern.compile("episode (\\d): return (-?[0-9.]+), length 200").matcher(submitted.out());
    double total = 0;
    int count = 0;
    while (episodes.find()) {
      total += Double.parseDouble(episodes.group(2));
      count++;
    }
    assertEquals(2, count, "one episode per grader seed, each to Pendulum's time limit: " + submitted.out());
    Matcher score = Pattern.compile("score (-?[0-9.]+)").matcher(submitted.out());
    assertTrue(score.find(), submitted.out());
    assertEquals(total / 2, Double.parseDouble(score.group(1)), 1e-2);
  }

  @Test
  void checkpointTrainedWithActionRepeat_submitSendsEachActionKTimes() {
    Path runDir = train(open.target(), dir.resolve("repeat-run"), "Pendulum-v1", 120, "--action-repeat", "4",
        "--set", "maxEpisodeSteps=40");
    CliRun submitted = CliRun.gymlink("submit", "--grader", grader.httpTarget(), "--token", TOKEN, "--checkpoint",
        runDir.toString());
    assertEquals(0, submitted.exitCode(), submitted.err());
    assertTrue(submitted.out().contains("action repeat 4 (the checkpoint's actionRepeat): each action is sent to the"
        + " grader 4 times"), submitted.out());
    Matcher episodes = Pattern.compile("episode \\d: return -?[0-9.]+, length 200 \\(50 policy actions\\)")
        .matcher(submitted.out());
    assertTrue(episodes.find() && episodes.find(), "two grader episodes of 200 frames, 4 per action: "
        + submitted.out());
  }

  @Test
  void trainOverHttp_withActionRepeat_isRefusedNamingTheOption() {
    List<String> args = new ArrayList<>(List.of("train", "--env", "Pendulum-v1", "--steps", "50", "--server",
        open.httpTarget(), "--out", dir.resolve("http-repeat").toString(), "--action-repeat", "2"));
    CliRun refused = CliRun.gymlink(args.toArray(String[]::new));
    assertEquals(1, refused.exitCode(), refused.out());
    assertTrue(refused.err().contains("actionRepeat 2 needs a gRPC env server"), refused.err());
  }

  @Test
  void randomPolicy_scoresTheGradersSeeds_sameSeedSameScore() {
    CliRun first = CliRun.gymlink("submit", "--grader", grader.httpTarget(), "--token", TOKEN, "--random-policy", "--env",
        "Pendulum-v1", "--seed", "3");
    assertEquals(0, first.exitCode(), first.err());
    assertTrue(first.out().contains("submitting a uniformly random policy (seed 3)"), first.out());
    Matcher episodes = Pattern.compile("episode \\d: return -?[0-9.]+, length 200\\n").matcher(first.out());
    assertTrue(episodes.find() && episodes.find(), "two grader episodes of 200 frames: " + first.out());
    CliRun again = CliRun.gymlink("submit", "--grader", grader.httpTarget(), "--token", TOKEN, "--random-policy", "--env",
        "Pendulum-v1", "--seed", "3");
    assertEquals(score(first), score(again), "the same seed gives the same actions on the same grader seeds");
  }

  private static double score(CliRun run) {
    Matcher score = Pattern.compile("score (-?[0-9.]+)").matcher(run.out());
    assertTrue(score.find(), run.out());
    return Double.parseDouble(score.group(1));
  }

  @Test
  void submit_wrongToken_printsTheGradersError() {
    Path runDir = trainOverHttp("MountainCarContinuous-v0", 60, "--set", "maxEpisodeSteps=30");
    CliRun refused = CliRun.gymlink("submit", "--grader", grader.httpTarget(), "--token", "stolen", "--checkpoint",
        runDir.toString());
    assertEquals(1, refused.exitCode());
    assertEquals("gymlink submit: error: token 'stol...' is not registered with this grader", refused.err().strip());

    CliRun oldVersion = CliRun.gymlink("submit", "--grader", grader.httpTarget(), "--token", TOKEN, "--checkpoint",
        runDir.toString(), "--client-version", "2.1.5");
    assertEquals(1, oldVersion.exitCode());
    assertEquals("gymlink submit: error: osim-rl version '2.1.5' does not match the grader's '3.0.11'; install"
        + " osim-rl==3.0.11", oldVersion.err().strip());
  }

  @Test
  void submit_usageErrors_exit2() {
    CliRun notHttp = CliRun.gymlink("submit", "--grader", "127.0.0.1:5000", "--token", TOKEN, "--checkpoint", "x");
    assertEquals(2, notHttp.exitCode());
    assertTrue(notHttp.err().contains("--grader must be http://host:port"), notHttp.err());
    CliRun noCheckpoint = CliRun.gymlink("submit", "--grader", grader.httpTarget(), "--token", TOKEN, "--checkpoint",
        dir.resolve("missing").toString());
    assertEquals(2, noCheckpoint.exitCode());
    assertTrue(noCheckpoint.err().startsWith("gymlink submit: --checkpoint: "), noCheckpoint.err());
    CliRun neither = CliRun.gymlink("submit", "--grader", grader.httpTarget(), "--token", TOKEN);
    assertEquals(2, neither.exitCode());
    assertTrue(neither.err().contains("give either --checkpoint DIR or --random-policy with --env ID, got neither"),
        neither.err());
    CliRun randomNoEnv = CliRun.gymlink("submit", "--grader", grader.httpTarget(), "--token", TOKEN, "--random-policy");
    assertEquals(2, randomNoEnv.exitCode());
    assertTrue(randomNoEnv.err().contains("and no --env"), randomNoEnv.err());
  }

  @Test
  void osimL2M2019_trainAndSubmit_whenOsimRlIsInstalled() throws Exception {
    try (EnvFactory probe = EnvFactories.forServer(open.httpTarget(), ClientConfig.defaults());
        Env env = probe.make("L2M2019Env")) {
      assertEquals(22, env.actionSpace() instanceof io.gymlink.env.spaces.BoxSpace b ? b.size() : -1);
    } catch (UnknownEnvironmentException e) {
      assumeTrue(false, "osim-rl is not installed in the env server's venv (pip install ./envserver-adapter[osim])");
    }
    Path runDir = trainOverHttp("L2M2019Env", 60, "--set", "maxEpisodeSteps=30");
    Path tokens = Files.writeString(dir.resolve("osim-tokens.txt"), TOKEN + " alice\n");
    try (LocalEnvServer osimGrader = PythonEnvServer.startServer("--http-port", "0", "--grader", "--seeds", "5",
        "--tokens", tokens.toString())) {
      CliRun submitted = CliRun.gymlink("submit", "--grader", osimGrader.httpTarget(), "--token", TOKEN, "--checkpoint",
          runDir.toString());
      assertEquals(0, submitted.exitCode(), submitted.err());
      assertTrue(submitted.out().contains("episode 1: return "), submitted.out());
      assertTrue(submitted.out().matches("(?s).*score -?[0-9.]+\\s*"), submitted.out());
    }
  }
}
