/// Test support shared by every test target.
public enum TestSupportModule {}
