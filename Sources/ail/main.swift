import AILCommandLine

JobChild.armParentDeathSignal()
AIL.runMain()
