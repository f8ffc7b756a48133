#!/usr/bin/env Rscript
# gen-forecast-expected.R: expected point forecasts of R's forecast package
# on fixed series, for the tests of nc-forecast (tests/unit/forecast.c and
# tests/t04*-forecast-*.sh).  Run once with R and r-cran-forecast:
#   Rscript scripts/gen-forecast-expected.R tests/fixtures/forecast
# It writes r-expected.tsv: series, method, horizon, value.  The tests
# need no R.
suppressMessages(library(forecast))
out <- commandArgs(TRUE)[1]
series <- list(
  lumpy = c(0,0,3,0,0,0,5,0,0,1,0,0,0,0,7,0,2,0,0,0,0,4,0,0,6,0,0,0,1,0),
  sparse = c(0,0,0,0,12,0,0,0,0,0,0,8,0,0,0,0,0,0,0,0,15,0,0,0),
  smooth = c(12,15,11,14,16,13,12,17,15,14,13,16,18,14,15,17,16,15,19,17),
  weekly = c(5,7,6,8,12,20,18, 6,8,7,9,13,22,19, 5,9,8,8,14,21,20, 7,8,6,10,12,23,18)
)
rows <- list()
add <- function(s, m, f) {
  f <- as.numeric(f)
  rows[[length(rows) + 1]] <<- data.frame(series = s, method = m,
    horizon = seq_along(f), value = sprintf("%.12g", f))
}
for (s in names(series)) {
  y <- series[[s]]
  add(s, "naive", naive(y, h = 5)$mean)
  add(s, "meanf", meanf(y, h = 5)$mean)
  add(s, "ses_simple_0.3", ses(y, h = 5, alpha = 0.3, initial = "simple")$mean)
  if (sum(y > 0) >= 2) {
    add(s, "croston_0.1", croston(y, h = 5, alpha = 0.1)$mean)
    add(s, "croston_0.2", croston(y, h = 5, alpha = 0.2)$mean)
  }
}
add("weekly", "snaive", snaive(ts(series$weekly, frequency = 7), h = 10)$mean)
write.table(do.call(rbind, rows), file.path(out, "r-expected.tsv"), sep = "\t",
  quote = FALSE, row.names = FALSE)
# The series themselves, one value per line, for the tests.
for (s in names(series))
  writeLines(as.character(series[[s]]), file.path(out, paste0("series-", s, ".txt")))
