import type { LanguageRecipe } from "./recipe.ts";
import { jvmFlags, MiB, matchVersion } from "./recipe.ts";

/** For the kotlinc and scalac scripts: a short-lived compiler JVM starts faster on C1 and the serial GC. */
const COMPILER_JVM = {
  JAVA_OPTS: "-Xmx256m -Xss8m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto",
};

type Recipes = Record<"go" | "rust" | "csharp" | "haskell" | "kotlin" | "scala", LanguageRecipe>;

/** Compiled languages added after the first five: a compile phase writes the program into /box. */
export const compiledRecipes: Recipes = {
  go: {
    id: "go",
    name: "Go",
    tools: ["go"],
    sourceFile: () => "main.go",
    // GOPATH mode (no go.mod needed for one file); no cgo, so no C toolchain; caches on the run's tmpfs.
    compile: (ctx) => [ctx.tools.go ?? "go", "build", "-o", "main", ctx.sourceFile],
    run: (ctx) => [`${ctx.workDir}/main`, ...ctx.args],
    env: {
      GO111MODULE: "off",
      CGO_ENABLED: "0",
      GOCACHE: "/tmp/go-cache",
      GOPATH: "/tmp/go",
      GOFLAGS: "-buildvcs=false",
      GOMAXPROCS: "2",
    },
    version: (tools) => ({
      argv: [tools.go ?? "go", "version"],
      parse: (out) => matchVersion(out, /go(\d+\.\d+(?:\.\d+)?)/),
    }),
    runtimeOutOfMemory: (_code, output) => /fatal error: runtime: out of memory/.test(output),
  },
  rust: {
    id: "rust",
    name: "Rust",
    tools: ["rustc"],
    sourceFile: () => "main.rs",
    compile: (ctx) => [
      ctx.tools.rustc ?? "rustc",
      "--edition",
      "2021",
      "-C",
      "opt-level=2",
      "-C",
      "debuginfo=0",
      "-C",
      "strip=symbols",
      "-o",
      "main",
      ctx.sourceFile,
    ],
    run: (ctx) => [`${ctx.workDir}/main`, ...ctx.args],
    version: (tools) => ({
      argv: [tools.rustc ?? "rustc", "--version"],
      parse: (out) => matchVersion(out, /rustc (\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (_code, output) => /memory allocation of \d+ bytes failed/.test(output),
  },
  csharp: {
    id: "csharp",
    name: "C# (Mono)",
    tools: ["mono", "mcs"],
    sourceFile: () => "main.cs",
    compile: (ctx) => [ctx.tools.mcs ?? "mcs", "-optimize+", "-out:main.exe", ctx.sourceFile],
    run: (ctx) => [ctx.tools.mono ?? "mono", "main.exe", ...ctx.args],
    env: { MONO_DISABLE_SHARED_AREA: "1", TERM: "dumb" },
    version: (tools) => ({
      argv: [tools.mono ?? "mono", "--version"],
      parse: (out) => matchVersion(out, /version (\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (_code, output) => /System\.OutOfMemoryException/.test(output),
  },
  haskell: {
    id: "haskell",
    name: "Haskell (GHC)",
    tools: ["ghc"],
    sourceFile: () => "main.hs",
    // Debian links /usr/lib/ghc/package.conf.d to here.
    readOnly: ["/var/lib/ghc"],
    // The heap is capped below the memory limit, so a hog ends with GHC's "Heap exhausted".
    compile: (ctx) => [
      ctx.tools.ghc ?? "ghc",
      "-O1",
      "-v0",
      "-outputdir",
      "/tmp/ghc",
      "-rtsopts",
      `-with-rtsopts=-M${Math.floor((ctx.runMemoryBytes * 0.7) / MiB)}m`,
      "-o",
      "main",
      ctx.sourceFile,
    ],
    run: (ctx) => [`${ctx.workDir}/main`, ...ctx.args],
    version: (tools) => ({
      argv: [tools.ghc ?? "ghc", "--numeric-version"],
      parse: (out) => matchVersion(out, /(\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (_code, output) => /Heap exhausted/.test(output),
  },
  kotlin: {
    id: "kotlin",
    name: "Kotlin",
    tools: ["java", "kotlinc"],
    sourceFile: () => "main.kt",
    compile: (ctx) => [ctx.tools.kotlinc ?? "kotlinc", ctx.sourceFile, "-d", ctx.workDir],
    env: COMPILER_JVM,
    run: (ctx) => [
      ctx.tools.java ?? "java",
      ...jvmFlags(ctx.memoryBytes),
      "-XX:+ExitOnOutOfMemoryError",
      "-cp",
      `${ctx.workDir}:/usr/share/java/kotlin-stdlib.jar`,
      "MainKt",
      ...ctx.args,
    ],
    version: (tools) => ({
      argv: [tools.kotlinc ?? "kotlinc", "-version"],
      parse: (out) => matchVersion(out, /kotlinc-jvm (\d+\.\d+[^\s(]*)/),
    }),
    runtimeOutOfMemory: (exitCode, output) =>
      exitCode === 3 && /^Terminating due to java\.lang\.OutOfMemoryError/m.test(output),
  },
  scala: {
    id: "scala",
    name: "Scala",
    tools: ["java", "scalac"],
    sourceFile: () => "main.scala",
    compile: (ctx) => [ctx.tools.scalac ?? "scalac", "-d", ctx.workDir, ctx.sourceFile],
    env: COMPILER_JVM,
    run: (ctx) => [
      ctx.tools.java ?? "java",
      ...jvmFlags(ctx.memoryBytes),
      "-XX:+ExitOnOutOfMemoryError",
      "-cp",
      `${ctx.workDir}:/usr/share/scala/lib/scala-library.jar`,
      "Main",
      ...ctx.args,
    ],
    version: (tools) => ({
      argv: [tools.scalac ?? "scalac", "-version"],
      parse: (out) => matchVersion(out, /version (\d+\.\d+\.\d+)/),
    }),
    runtimeOutOfMemory: (exitCode, output) =>
      exitCode === 3 && /^Terminating due to java\.lang\.OutOfMemoryError/m.test(output),
  },
};
