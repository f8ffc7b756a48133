# fcmodels.R: the R side of bench/fcmodels: ets() and auto.arima() on every
# series of a file ("name m v1 v2 ..." per line); prints
# "name method model seconds f1,f2,..".
suppressMessages(library(forecast))
args <- commandArgs(TRUE)
h <- if (length(args) > 1) as.integer(args[2]) else 8
for (l in readLines(args[1])) {
  f <- strsplit(l, " ")[[1]]
  y <- ts(as.numeric(f[-(1:2)]), frequency = as.integer(f[2]))
  for (method in c("ets", "arima")) {
    t0 <- proc.time()[["elapsed"]]
    fit <- tryCatch(if (method == "ets") ets(y) else auto.arima(y),
                    error = function(e) NULL)
    fc <- if (is.null(fit)) rep(0, h) else forecast(fit, h = h)$mean
    t <- proc.time()[["elapsed"]] - t0
    cat(f[1], method, if (is.null(fit)) "failed" else as.character(fit),
        sprintf("%.6f", t), paste(format(as.numeric(fc), digits = 7), collapse = ","),
        sep = "\t")
    cat("\n")
  }
}
