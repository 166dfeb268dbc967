import AILCommandLine

AIL.main()
