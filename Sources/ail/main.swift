import AILCommandLine

AIL.runMain()
